# Builds one libFuzzer target for run.sh (which sets every variable below); objects are shared between
# targets under BUILD/obj/ and rebuilt when a source or a header it includes changes (-MMD).
#   make -f fuzz.mk ROOT=repo BUILD=dir CXX=clang++ NAME=identifiers SRCS="tests/fuzz/x_fuzz.cpp core/y.cpp" LIBS=-lcrypto
FLAGS = -std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -I$(ROOT)
OBJS := $(SRCS:%.cpp=$(BUILD)/obj/%.o)

$(BUILD)/$(NAME)/fuzzer: $(OBJS)
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) -fsanitize=fuzzer $(OBJS) $(LIBS) -o $@

$(BUILD)/obj/%.o: $(ROOT)/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)

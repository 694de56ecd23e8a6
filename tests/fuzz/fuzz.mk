# Builds one libFuzzer target for run.sh (which sets every variable below); objects are shared between
# targets under BUILD/obj/ and rebuilt when a source or a header it includes changes (-MMD).
#   make -f fuzz.mk ROOT=repo BUILD=dir CXX=clang++ NAME=identifiers SRCS="tests/fuzz/x_fuzz.cpp core/y.cpp" LIBS=-lcrypto
# GEN_SRCS: generated sources under BUILD (gen/thriftgen/*.cpp, see run.sh), compiled without warnings.
FLAGS = -std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -I$(ROOT) -I$(BUILD)/gen
OBJS := $(SRCS:%.cpp=$(BUILD)/obj/%.o) $(GEN_SRCS:%.cpp=$(BUILD)/obj/%.o)

$(BUILD)/$(NAME)/fuzzer: $(OBJS)
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) -fsanitize=fuzzer $(OBJS) $(LIBS) -o $@

# Thrift's TBinaryProtocol.tcc casts a wire byte to the enum TType before checking it (an out-of-range
# load UBSan's "enum" check reports in the library's code, not ours): that check is off in the files that
# instantiate the protocol (the generated code, api/thrift/server.cpp, the Thrift fuzz target).
$(BUILD)/obj/api/thrift/server.o $(BUILD)/obj/tests/fuzz/thrift_request_fuzz.o: FLAGS += -fno-sanitize=enum
$(BUILD)/obj/gen/%.o: FLAGS += -fno-sanitize=enum

$(BUILD)/obj/%.o: $(ROOT)/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) -w -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)

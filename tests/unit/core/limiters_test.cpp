#include "core/limiters.h"

#include <gtest/gtest.h>

#include <string>

namespace suiji {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

TEST(LimitKey, Ipv6ByItsSlash64AndIpv4AsItIs) {
  EXPECT_EQ(LimitKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LimitKey("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LimitKey("2001:db8:0:1::1"), "2001:0db8:0000:0001::/64");
  EXPECT_EQ(LimitKey("2001:db8:0:1:ffff:ffff:ffff:ffff"), LimitKey("2001:db8:0:1::2"));
  EXPECT_NE(LimitKey("2001:db8:0:1::1"), LimitKey("2001:db8:0:2::1"));
  EXPECT_EQ(LimitKey("not an address"), "not an address");
}

TEST(FailureLimiter, LocksOutAfterTenWithinTheWindowThenForgets) {
  FailureLimiter f;
  const auto t0 = Clock::now();
  for (int i = 0; i < FailureLimiter::kMaxFailures - 1; ++i) f.Fail("198.51.100.1", t0);
  EXPECT_EQ(f.RetryAfter("198.51.100.1", t0), 0);
  f.Fail("198.51.100.1", t0);
  EXPECT_EQ(f.RetryAfter("198.51.100.1", t0 + seconds(10)), 51);
  EXPECT_EQ(f.RetryAfter("198.51.100.2", t0), 0);
  EXPECT_EQ(f.RetryAfter("198.51.100.1", t0 + FailureLimiter::kWindow), 0);
}

TEST(FailureLimiter, NewAddressesInOneSlash64AreOneClient) {
  FailureLimiter f;
  const auto t0 = Clock::now();
  for (int i = 0; i < FailureLimiter::kMaxFailures; ++i) f.Fail("2001:db8:0:1::" + std::to_string(i + 1), t0);
  EXPECT_GT(f.RetryAfter("2001:db8:0:1::abcd", t0), 0);
  EXPECT_EQ(f.RetryAfter("2001:db8:0:2::1", t0), 0);
}

TEST(FailureLimiter, ASprayOfAddressesDoesNotUnlockTheLockedOut) {
  FailureLimiter f;
  const auto t0 = Clock::now();
  for (int i = 0; i < FailureLimiter::kMaxFailures; ++i) f.Fail("198.51.100.1", t0);
  // One refused token from each of more addresses than the table holds.
  for (std::size_t i = 0; i < FailureLimiter::kMaxAddresses + 10; ++i)
    f.Fail("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255), t0);
  EXPECT_GT(f.RetryAfter("198.51.100.1", t0 + seconds(1)), 0);
}

TEST(RequestLimiter, PerSecondPerAddressAndBoundedUnderASpray) {
  RequestLimiter r(3);
  const auto t0 = Clock::now();
  EXPECT_TRUE(r.Allow("198.51.100.1", t0));
  EXPECT_TRUE(r.Allow("198.51.100.1", t0));
  EXPECT_TRUE(r.Allow("198.51.100.1", t0));
  EXPECT_FALSE(r.Allow("198.51.100.1", t0));
  EXPECT_TRUE(r.Allow("198.51.100.2", t0));
  EXPECT_TRUE(r.Allow("198.51.100.1", t0 + seconds(1)));
  for (std::size_t i = 0; i < RequestLimiter::kMaxAddresses + 10; ++i)
    r.Allow("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255),
            t0 + seconds(2));
  EXPECT_TRUE(r.Allow("198.51.100.1", t0 + seconds(2)));  // the table was emptied of ended windows, not broken
  EXPECT_TRUE(RequestLimiter(0).Allow("198.51.100.1", t0));
}

}  // namespace
}  // namespace suiji

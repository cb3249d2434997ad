// The pure parts of the HTTP module: target decoding, routing, bearer checks, SSE framing and
// stream buffering.

#include "http/auth.hpp"
#include "http/router.hpp"
#include "http/sse.hpp"
#include "http/stream.hpp"
#include "http/target.hpp"

#include <gtest/gtest.h>

namespace dockerops::http {
namespace {

TEST(HttpTarget, DecodesEscapesAndRefusesBadOnes) {
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(query_decode("a+b%2b"), "a b+");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
}

TEST(HttpTarget, SplitsPathsAndRefusesTricks) {
  EXPECT_EQ(split_path("/api/v1/state").segments, (std::vector<std::string>{"api", "v1", "state"}));
  EXPECT_EQ(split_path("/api/v1/state/").segments, (std::vector<std::string>{"api", "v1", "state"}));
  EXPECT_TRUE(split_path("/").segments.empty());
  EXPECT_EQ(split_path("/a//b").segments, (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split_path("/web%20x").segments, (std::vector<std::string>{"web x"}));
  EXPECT_EQ(split_path("/api/v1/../../etc/passwd").error, "\".\" and \"..\" are not allowed in the path");
  EXPECT_EQ(split_path("/api/%2e%2e/x").error, "\".\" and \"..\" are not allowed in the path");
  EXPECT_EQ(split_path("/api/%2E/x").error, "\".\" and \"..\" are not allowed in the path");
  EXPECT_EQ(split_path("/api/a%2fb").error, "an encoded '/' is not allowed in the path");
  EXPECT_EQ(split_path("/api/%zz").error, "bad percent-encoding in the path");
  EXPECT_EQ(split_path("/api/%00").error, "bad percent-encoding in the path");
  EXPECT_EQ(split_path("api").error, "the path must start with '/'");
}

Router sample_router() {
  Router router;
  router.add("GET", "/api/v1/state", [](Request&) { return error_response(200, "state"); });
  router.add("GET", "/api/v1/instances/{service}/{instance}/logs", [](Request& r) {
    return error_response(200, r.params.at("service") + "/" + r.params.at("instance"));
  });
  router.add("POST", "/api/v1/instances/{service}/{instance}/restart",
             [](Request&) { return error_response(202, "restart"); });
  return router;
}

Response route(const Router& router, const std::string& method, const std::string& path) {
  Request request;
  request.method = method;
  request.path = path;
  request.segments = split_path(path).segments;
  return router.dispatch(request);
}

TEST(HttpRouter, MatchesBindsAndRefuses) {
  Router router = sample_router();
  EXPECT_EQ(route(router, "GET", "/api/v1/state").body, "{\"error\":\"state\"}\n");
  EXPECT_EQ(route(router, "HEAD", "/api/v1/state").status, 200);
  EXPECT_EQ(route(router, "GET", "/api/v1/instances/web/one/logs").body, "{\"error\":\"web/one\"}\n");
  Response missing = route(router, "GET", "/api/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "{\"error\":\"no such route: /api/v1/nothing\"}\n");
  EXPECT_EQ(route(router, "GET", "/api/v1//state").status, 404);
  Response wrong = route(router, "DELETE", "/api/v1/state");
  EXPECT_EQ(wrong.status, 405);
  ASSERT_EQ(wrong.headers.size(), 1u);
  EXPECT_EQ(wrong.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(route(router, "GET", "/api/v1/instances/web/one/restart").status, 405);
  EXPECT_EQ(route(router, "POST", "/api/v1/instances/web/one/restart").status, 202);
  EXPECT_EQ(router.describe(),
            (std::vector<std::string>{"GET /api/v1/state", "GET /api/v1/instances/{service}/{instance}/logs",
                                      "POST /api/v1/instances/{service}/{instance}/restart"}));
}

TEST(HttpAuth, BearerTokens) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_EQ(check_bearer("Bearer s3cret", "s3cret"), AuthResult::ok);
  EXPECT_EQ(check_bearer("bearer   s3cret ", "s3cret"), AuthResult::ok);
  EXPECT_EQ(check_bearer("", "s3cret"), AuthResult::missing);
  EXPECT_EQ(check_bearer("Basic czNjcmV0", "s3cret"), AuthResult::malformed);
  EXPECT_EQ(check_bearer("Bearer", "s3cret"), AuthResult::malformed);
  EXPECT_EQ(check_bearer("Bearer s3cre", "s3cret"), AuthResult::wrong);
  EXPECT_EQ(check_bearer("Bearer s3cret2", "s3cret"), AuthResult::wrong);
}

TEST(HttpSse, FramesEventsRetryAndComments) {
  EXPECT_EQ(sse_event("{\"a\":1}", "event", "7"), "id: 7\nevent: event\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_event("one\ntwo\r\nthree\rfour"), "data: one\ndata: two\ndata: three\ndata: four\n\n");
  EXPECT_EQ(sse_event("", "x\ny"), "event: xy\ndata: \n\n");
  EXPECT_EQ(sse_retry(2000), "retry: 2000\n\n");
  EXPECT_EQ(sse_comment("keep-alive"), ": keep-alive\n\n");
  EXPECT_EQ(resume_point("12", std::string("3")).after, 12u);
  EXPECT_EQ(resume_point("", std::string("3")).after, 3u);
  EXPECT_FALSE(resume_point("", std::nullopt).after.has_value());
  EXPECT_TRUE(resume_point("x", std::nullopt).invalid);
  EXPECT_TRUE(resume_point("", std::string("-1")).invalid);
}

TEST(HttpStream, BuffersWakesAndCutsOffSlowReaders) {
  Stream stream(8);
  int wakes = 0;
  stream.set_waker([&] { ++wakes; });
  bool closed = false;
  stream.on_close([&] { closed = true; });
  char buffer[16];
  std::size_t taken = 0;
  EXPECT_EQ(stream.read(buffer, sizeof buffer, taken), Stream::Read::empty);
  EXPECT_TRUE(stream.push("abcd"));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(stream.read(buffer, 3, taken), Stream::Read::data);
  EXPECT_EQ(std::string(buffer, taken), "abc");
  EXPECT_TRUE(stream.push("efgh"));
  EXPECT_FALSE(stream.push("ijkl")); // 5 + 4 bytes pending > 8: the reader is too slow
  EXPECT_TRUE(closed);
  EXPECT_TRUE(stream.done());
  EXPECT_EQ(stream.read(buffer, sizeof buffer, taken), Stream::Read::end);
}

TEST(HttpStream, FinishDeliversWhatIsPendingThenEnds) {
  Stream stream(64);
  stream.push("last");
  stream.finish();
  EXPECT_FALSE(stream.push("more"));
  char buffer[16];
  std::size_t taken = 0;
  EXPECT_EQ(stream.read(buffer, sizeof buffer, taken), Stream::Read::data);
  EXPECT_EQ(std::string(buffer, taken), "last");
  EXPECT_EQ(stream.read(buffer, sizeof buffer, taken), Stream::Read::end);
}

} // namespace
} // namespace dockerops::http

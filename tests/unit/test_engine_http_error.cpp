#include "engine/http_error.hpp"

#include <gtest/gtest.h>

using dockerops::Error;
using dockerops::ErrorKind;
using dockerops::engine::http_error;
using dockerops::engine::unreachable_error;

TEST(HttpError, MapsStatusToKindAndKeepsTheDaemonMessage) {
  Error missing = http_error(404, "{\"message\":\"No such image: research/nope:1\"}\n", "POST",
                             "/v1.41/containers/create");
  EXPECT_EQ(missing.kind(), ErrorKind::not_found);
  EXPECT_STREQ(missing.what(), "No such image: research/nope:1");

  Error taken =
      http_error(409, R"({"message":"Conflict. The container name \"/x\" is already in use"})", "POST", "/p");
  EXPECT_EQ(taken.kind(), ErrorKind::conflict);
  EXPECT_STREQ(taken.what(), "Conflict. The container name \"/x\" is already in use");

  Error parse = http_error(400, R"({"message":"dockerfile parse error line 2: unknown instruction: BOGUS"})",
                           "POST", "/b");
  EXPECT_EQ(parse.kind(), ErrorKind::engine);
  EXPECT_STREQ(parse.what(), "dockerfile parse error line 2: unknown instruction: BOGUS");
}

TEST(HttpError, FallsBackToStatusAndRequestWithoutAMessage) {
  Error error = http_error(500, "<html>oops</html>", "GET", "/v1.41/containers/json");
  EXPECT_EQ(error.kind(), ErrorKind::engine);
  EXPECT_STREQ(error.what(), "the Docker daemon answered HTTP 500 to GET /v1.41/containers/json");
  EXPECT_EQ(http_error(404, "", "GET", "/x").kind(), ErrorKind::not_found);
}

TEST(HttpError, UnreachableIsOneLineWithTheFix) {
  Error error = unreachable_error("unix:///nonexistent", "No such file or directory");
  EXPECT_EQ(error.kind(), ErrorKind::engine_unreachable);
  EXPECT_STREQ(error.what(),
               "cannot reach the Docker daemon at unix:///nonexistent (No such file or directory); "
               "start it with \"dockerd\" or \"systemctl start docker\", or set DOCKER_HOST");
}

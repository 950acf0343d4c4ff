//===- StatusTest.cpp - Status, StatusOr and the propagation macros -------===//

#include "vmgpu/runtime/Status.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>

using namespace vmgpu::runtime;

namespace {

TEST(StatusTest, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.isOk());
  EXPECT_EQ(status.code(), StatusCode::Ok);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.toString(), "Ok");
  EXPECT_EQ(status.toDetailedString(), "Ok");
  EXPECT_EQ(status.file(), nullptr);
  EXPECT_TRUE(okStatus().isOk());
}

TEST(StatusTest, FactoriesSetCodeMessageAndCallSite) {
  struct Case {
    Status status;
    StatusCode code;
    const char *name;
  };
  Case cases[] = {
      {cancelledError("m"), StatusCode::Cancelled, "Cancelled"},
      {invalidArgumentError("m"), StatusCode::InvalidArgument,
       "InvalidArgument"},
      {notFoundError("m"), StatusCode::NotFound, "NotFound"},
      {alreadyExistsError("m"), StatusCode::AlreadyExists, "AlreadyExists"},
      {permissionDeniedError("m"), StatusCode::PermissionDenied,
       "PermissionDenied"},
      {resourceExhaustedError("m"), StatusCode::ResourceExhausted,
       "ResourceExhausted"},
      {failedPreconditionError("m"), StatusCode::FailedPrecondition,
       "FailedPrecondition"},
      {abortedError("m"), StatusCode::Aborted, "Aborted"},
      {outOfRangeError("m"), StatusCode::OutOfRange, "OutOfRange"},
      {unimplementedError("m"), StatusCode::Unimplemented, "Unimplemented"},
      {internalError("m"), StatusCode::Internal, "Internal"},
      {unavailableError("m"), StatusCode::Unavailable, "Unavailable"},
      {dataLossError("m"), StatusCode::DataLoss, "DataLoss"},
      {deadlineExceededError("m"), StatusCode::DeadlineExceeded,
       "DeadlineExceeded"},
      {outOfMemoryError("m"), StatusCode::OutOfMemory, "OutOfMemory"},
  };
  for (const Case &c : cases) {
    EXPECT_FALSE(c.status.isOk());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_STREQ(statusCodeName(c.code), c.name);
    EXPECT_EQ(c.status.toString(), std::string(c.name) + ": m");
    ASSERT_NE(c.status.file(), nullptr);
    EXPECT_STREQ(c.status.file(), "StatusTest.cpp");
    EXPECT_GT(c.status.line(), 0);
  }
  EXPECT_STREQ(statusCodeName(static_cast<StatusCode>(999)), "Unknown");
}

TEST(StatusTest, DetailedStringNamesTheCallSite) {
  int line = __LINE__ + 1;
  Status status = notFoundError("no such kernel");
  EXPECT_EQ(status.toDetailedString(),
            "NotFound: no such kernel [at StatusTest.cpp:" +
                std::to_string(line) + "]");
}

TEST(StatusTest, OkCodeDropsMessage) {
  Status status(StatusCode::Ok, "ignored", "file.cpp", 3);
  EXPECT_TRUE(status.isOk());
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.file(), nullptr);
}

TEST(StatusTest, WithContextPrefixesTheMessage) {
  Status status = dataLossError("truncated data").withContext("in.npy");
  EXPECT_EQ(status.code(), StatusCode::DataLoss);
  EXPECT_EQ(status.message(), "in.npy: truncated data");
  EXPECT_EQ(status.toString(), "DataLoss: in.npy: truncated data");
  EXPECT_STREQ(status.file(), "StatusTest.cpp");
  EXPECT_TRUE(okStatus().withContext("ctx").isOk());
  EXPECT_EQ(internalError("").withContext("ctx").message(), "ctx");
}

TEST(StatusTest, EqualityIgnoresCallSite) {
  EXPECT_EQ(notFoundError("x"), Status(StatusCode::NotFound, "x"));
  EXPECT_NE(notFoundError("x"), notFoundError("y"));
  EXPECT_NE(notFoundError("x"), internalError("x"));
  EXPECT_EQ(Status(), okStatus());
}

TEST(StatusTest, ErrnoErrorMapsCodes) {
  Status status = errnoError(ENOENT, "/nope: cannot open");
  EXPECT_EQ(status.code(), StatusCode::NotFound);
  EXPECT_EQ(status.message().rfind("/nope: cannot open: ", 0), 0u)
      << status.message();
  EXPECT_NE(status.message().find("No such file"), std::string::npos);
  EXPECT_EQ(errnoError(EACCES, "x").code(), StatusCode::PermissionDenied);
  EXPECT_EQ(errnoError(ENOMEM, "x").code(), StatusCode::OutOfMemory);
  EXPECT_EQ(errnoError(ENOSPC, "x").code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(errnoError(EEXIST, "x").code(), StatusCode::AlreadyExists);
  EXPECT_EQ(errnoError(EIO, "x").code(), StatusCode::Unavailable);
  EXPECT_FALSE(errnoError(123456, "x").message().empty());
}

TEST(StatusOrTest, HoldsValueOrError) {
  StatusOr<int> value = 42;
  ASSERT_TRUE(value.isOk());
  EXPECT_TRUE(value.status().isOk());
  EXPECT_EQ(*value, 42);
  EXPECT_EQ(value.value(), 42);
  EXPECT_EQ(value.valueOr(7), 42);

  StatusOr<int> error = notFoundError("gone");
  ASSERT_FALSE(error.isOk());
  EXPECT_EQ(error.status().code(), StatusCode::NotFound);
  EXPECT_EQ(error.valueOr(7), 7);
}

TEST(StatusOrTest, OkStatusWithoutValueBecomesInternal) {
  StatusOr<int> value = okStatus();
  ASSERT_FALSE(value.isOk());
  EXPECT_EQ(value.status().code(), StatusCode::Internal);
}

TEST(StatusOrTest, MoveOnlyAndConvertingValues) {
  StatusOr<std::unique_ptr<int>> owned = std::make_unique<int>(5);
  ASSERT_TRUE(owned.isOk());
  std::unique_ptr<int> taken = std::move(owned).value();
  EXPECT_EQ(*taken, 5);

  StatusOr<std::string> text = "abc";
  ASSERT_TRUE(text.isOk());
  EXPECT_EQ(text->size(), 3u);
}

Status failIf(bool fail) {
  if (fail)
    return invalidArgumentError("asked to fail");
  return okStatus();
}

StatusOr<int> parsePositive(int x) {
  if (x <= 0)
    return outOfRangeError("not positive: " + std::to_string(x));
  return x;
}

Status chain(bool fail, int x, int &out) {
  VMGPU_RETURN_IF_ERROR(failIf(fail));
  VMGPU_RETURN_IF_ERROR(parsePositive(x));
  VMGPU_ASSIGN_OR_RETURN(int parsed, parsePositive(x));
  VMGPU_ASSIGN_OR_RETURN(out, parsePositive(parsed * 2));
  return okStatus();
}

StatusOr<int> chainOr(int x) {
  VMGPU_ASSIGN_OR_RETURN(int parsed, parsePositive(x));
  VMGPU_RETURN_IF_ERROR(failIf(parsed > 100));
  return parsed + 1;
}

TEST(StatusMacrosTest, Propagate) {
  int out = 0;
  EXPECT_TRUE(chain(false, 3, out).isOk());
  EXPECT_EQ(out, 6);
  Status failed = chain(true, 3, out);
  EXPECT_EQ(failed.code(), StatusCode::InvalidArgument);
  EXPECT_EQ(chain(false, -1, out).code(), StatusCode::OutOfRange);

  EXPECT_EQ(*chainOr(4), 5);
  EXPECT_EQ(chainOr(0).status().code(), StatusCode::OutOfRange);
  EXPECT_EQ(chainOr(1000).status().code(), StatusCode::InvalidArgument);
}

TEST(StatusDeathTest, ValueOfErrorAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  StatusOr<int> error = notFoundError("missing thing");
  EXPECT_DEATH((void)error.value(), "unchecked error: NotFound: missing thing");
  EXPECT_DEATH(internalError("boom").checkOk(), "Internal: boom");
}

} // namespace

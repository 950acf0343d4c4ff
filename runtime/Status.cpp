//===- Status.cpp - runtime error codes, Status and StatusOr<T> -----------===//

#include "vmgpu/runtime/Status.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace vmgpu::runtime {

const char *statusCodeName(StatusCode code) {
  switch (code) {
  case StatusCode::Ok:
    return "Ok";
  case StatusCode::Cancelled:
    return "Cancelled";
  case StatusCode::InvalidArgument:
    return "InvalidArgument";
  case StatusCode::NotFound:
    return "NotFound";
  case StatusCode::AlreadyExists:
    return "AlreadyExists";
  case StatusCode::PermissionDenied:
    return "PermissionDenied";
  case StatusCode::ResourceExhausted:
    return "ResourceExhausted";
  case StatusCode::FailedPrecondition:
    return "FailedPrecondition";
  case StatusCode::Aborted:
    return "Aborted";
  case StatusCode::OutOfRange:
    return "OutOfRange";
  case StatusCode::Unimplemented:
    return "Unimplemented";
  case StatusCode::Internal:
    return "Internal";
  case StatusCode::Unavailable:
    return "Unavailable";
  case StatusCode::DataLoss:
    return "DataLoss";
  case StatusCode::DeadlineExceeded:
    return "DeadlineExceeded";
  case StatusCode::OutOfMemory:
    return "OutOfMemory";
  }
  return "Unknown";
}

// Keeps messages short: the directory of a build tree says nothing useful.
static const char *baseName(const char *file) {
  if (!file)
    return nullptr;
  const char *slash = std::strrchr(file, '/');
  return slash ? slash + 1 : file;
}

Status::Status(StatusCode code, std::string message, const char *file, int line)
    : code_(code), file_(baseName(file)), line_(line) {
  if (code_ != StatusCode::Ok)
    message_ = std::move(message);
  else
    file_ = nullptr, line_ = 0;
}

std::string Status::toString() const {
  if (isOk())
    return "Ok";
  std::string result = statusCodeName(code_);
  if (!message_.empty()) {
    result += ": ";
    result += message_;
  }
  return result;
}

std::string Status::toDetailedString() const {
  std::string result = toString();
  if (!isOk() && file_) {
    result += " [at ";
    result += file_;
    result += ':';
    result += std::to_string(line_);
    result += ']';
  }
  return result;
}

Status Status::withContext(std::string_view context) const {
  if (isOk())
    return *this;
  std::string message(context);
  if (!message_.empty()) {
    message += ": ";
    message += message_;
  }
  Status result = *this;
  result.message_ = std::move(message);
  return result;
}

void Status::checkOk() const {
  if (isOk())
    return;
  std::fprintf(stderr, "vmgpu: fatal: unchecked error: %s\n",
               toDetailedString().c_str());
  std::fflush(stderr);
  std::abort();
}

Status okStatus() { return Status(); }

#define VMGPU_DEFINE_ERROR_FACTORY(name, code)                                 \
  Status name(std::string message, const char *file, int line) {               \
    return Status(StatusCode::code, std::move(message), file, line);           \
  }
VMGPU_DEFINE_ERROR_FACTORY(cancelledError, Cancelled)
VMGPU_DEFINE_ERROR_FACTORY(invalidArgumentError, InvalidArgument)
VMGPU_DEFINE_ERROR_FACTORY(notFoundError, NotFound)
VMGPU_DEFINE_ERROR_FACTORY(alreadyExistsError, AlreadyExists)
VMGPU_DEFINE_ERROR_FACTORY(permissionDeniedError, PermissionDenied)
VMGPU_DEFINE_ERROR_FACTORY(resourceExhaustedError, ResourceExhausted)
VMGPU_DEFINE_ERROR_FACTORY(failedPreconditionError, FailedPrecondition)
VMGPU_DEFINE_ERROR_FACTORY(abortedError, Aborted)
VMGPU_DEFINE_ERROR_FACTORY(outOfRangeError, OutOfRange)
VMGPU_DEFINE_ERROR_FACTORY(unimplementedError, Unimplemented)
VMGPU_DEFINE_ERROR_FACTORY(internalError, Internal)
VMGPU_DEFINE_ERROR_FACTORY(unavailableError, Unavailable)
VMGPU_DEFINE_ERROR_FACTORY(dataLossError, DataLoss)
VMGPU_DEFINE_ERROR_FACTORY(deadlineExceededError, DeadlineExceeded)
VMGPU_DEFINE_ERROR_FACTORY(outOfMemoryError, OutOfMemory)
#undef VMGPU_DEFINE_ERROR_FACTORY

// strerror_r has two incompatible signatures (XSI returns int, GNU returns a
// pointer); overloads on the return type pick the right handling.
[[maybe_unused]] static const char *strerrorResult(int rc, const char *buffer) {
  return rc == 0 ? buffer : "unknown error";
}
[[maybe_unused]] static const char *strerrorResult(const char *result,
                                                   const char *) {
  return result;
}

Status errnoError(int err, std::string_view what, const char *file, int line) {
  char buffer[256] = {0};
  const char *text =
      strerrorResult(strerror_r(err, buffer, sizeof(buffer)), buffer);
  StatusCode code;
  switch (err) {
  case ENOENT:
  case ENOTDIR:
    code = StatusCode::NotFound;
    break;
  case EACCES:
  case EPERM:
  case EROFS:
    code = StatusCode::PermissionDenied;
    break;
  case ENOMEM:
    code = StatusCode::OutOfMemory;
    break;
  case ENOSPC:
  case EDQUOT:
  case EMFILE:
  case ENFILE:
    code = StatusCode::ResourceExhausted;
    break;
  case EEXIST:
    code = StatusCode::AlreadyExists;
    break;
  default:
    code = StatusCode::Unavailable;
    break;
  }
  std::string message(what);
  message += ": ";
  message += text;
  return Status(code, std::move(message), file, line);
}

} // namespace vmgpu::runtime

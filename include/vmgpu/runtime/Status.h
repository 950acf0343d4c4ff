//===- Status.h - runtime error codes, Status and StatusOr<T> ---*- C++ -*-===//
//
// The runtime reports every failure through a `Status` (a code, a message and
// the call site that created it) or a `StatusOr<T>`; it never throws and never
// aborts on bad input. A missing driver is `Unavailable`, which the engine
// treats as "run this on the CPU".
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_STATUS_H
#define VMGPU_RUNTIME_STATUS_H

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vmgpu::runtime {

/// Error categories. The numeric values are stable (the C API exposes them).
enum class StatusCode : int {
  Ok = 0,
  Cancelled = 1,
  InvalidArgument = 2,
  NotFound = 3,
  AlreadyExists = 4,
  PermissionDenied = 5,
  ResourceExhausted = 6,
  FailedPrecondition = 7,
  Aborted = 8,
  OutOfRange = 9,
  Unimplemented = 10,
  Internal = 11,
  Unavailable = 12,
  DataLoss = 13,
  DeadlineExceeded = 14,
  OutOfMemory = 15,
};

/// The code's name as spelled in the enum ("InvalidArgument"); "Unknown" for a
/// value outside the enum. Returns a static string.
const char *statusCodeName(StatusCode code);

/// The outcome of an operation: `Ok`, or an error code with a message and the
/// source location of the factory call that created it.
///
/// A Status owns its message. It is a value type: copyable, movable, and safe
/// to read from several threads at once (no shared mutable state).
class [[nodiscard]] Status {
public:
  /// An Ok status.
  Status() = default;

  /// A status with `code` and `message`; `file`/`line` name the call site
  /// (nullptr/0 when unknown). A code of Ok drops the message.
  Status(StatusCode code, std::string message, const char *file = nullptr,
         int line = 0);

  /// True when the code is Ok.
  bool isOk() const { return code_ == StatusCode::Ok; }
  StatusCode code() const { return code_; }
  /// The message text without the code name; empty for Ok.
  const std::string &message() const { return message_; }
  /// The file (basename) and line of the call site; nullptr/0 when unknown.
  const char *file() const { return file_; }
  int line() const { return line_; }

  /// "Ok", or "<CodeName>: <message>". Meant for users (no source location).
  std::string toString() const;
  /// toString() followed by " [at file:line]" when the call site is known.
  /// Meant for logs and bug reports.
  std::string toDetailedString() const;

  /// Returns a copy whose message is "<context>: <message>"; Ok stays Ok.
  /// Used to add the file name, driver call or op to an error from below.
  Status withContext(std::string_view context) const;

  /// Aborts the process with the detailed message when not Ok. For code paths
  /// where an error is a bug in the caller (e.g. `StatusOr::value()`).
  void checkOk() const;

  /// Equality compares code and message (not the call site).
  friend bool operator==(const Status &a, const Status &b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }
  friend bool operator!=(const Status &a, const Status &b) { return !(a == b); }

private:
  StatusCode code_ = StatusCode::Ok;
  std::string message_;
  const char *file_ = nullptr;
  int line_ = 0;
};

/// Factories. Each records the caller's file and line (through the
/// `__builtin_FILE`/`__builtin_LINE` default arguments, GCC and Clang).
Status okStatus();
Status cancelledError(std::string message, const char *file = __builtin_FILE(),
                      int line = __builtin_LINE());
Status invalidArgumentError(std::string message,
                            const char *file = __builtin_FILE(),
                            int line = __builtin_LINE());
Status notFoundError(std::string message, const char *file = __builtin_FILE(),
                     int line = __builtin_LINE());
Status alreadyExistsError(std::string message,
                          const char *file = __builtin_FILE(),
                          int line = __builtin_LINE());
Status permissionDeniedError(std::string message,
                             const char *file = __builtin_FILE(),
                             int line = __builtin_LINE());
Status resourceExhaustedError(std::string message,
                              const char *file = __builtin_FILE(),
                              int line = __builtin_LINE());
Status failedPreconditionError(std::string message,
                               const char *file = __builtin_FILE(),
                               int line = __builtin_LINE());
Status abortedError(std::string message, const char *file = __builtin_FILE(),
                    int line = __builtin_LINE());
Status outOfRangeError(std::string message, const char *file = __builtin_FILE(),
                       int line = __builtin_LINE());
Status unimplementedError(std::string message,
                          const char *file = __builtin_FILE(),
                          int line = __builtin_LINE());
Status internalError(std::string message, const char *file = __builtin_FILE(),
                     int line = __builtin_LINE());
Status unavailableError(std::string message,
                        const char *file = __builtin_FILE(),
                        int line = __builtin_LINE());
Status dataLossError(std::string message, const char *file = __builtin_FILE(),
                     int line = __builtin_LINE());
Status deadlineExceededError(std::string message,
                             const char *file = __builtin_FILE(),
                             int line = __builtin_LINE());
Status outOfMemoryError(std::string message,
                        const char *file = __builtin_FILE(),
                        int line = __builtin_LINE());

/// An error from a failed libc call: `<what>: <strerror(err)>`, with the code
/// chosen from `err` (ENOENT -> NotFound, EACCES/EPERM -> PermissionDenied,
/// ENOMEM -> OutOfMemory, ENOSPC/EDQUOT -> ResourceExhausted, EEXIST ->
/// AlreadyExists, else Unavailable). Thread-safe (uses strerror_r).
Status errnoError(int err, std::string_view what,
                  const char *file = __builtin_FILE(),
                  int line = __builtin_LINE());

/// Either a value of type T or a non-Ok Status.
///
/// Owns its value. Copyable/movable when T is. Not synchronized: share a
/// StatusOr between threads only for reading.
template <class T> class [[nodiscard]] StatusOr {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>,
                "StatusOr<Status> is not allowed");

public:
  /// Holds `status`, which must not be Ok; an Ok status becomes an Internal
  /// error (a StatusOr never reports success without a value).
  StatusOr(Status status) : status_(std::move(status)) {
    if (status_.isOk())
      status_ = Status(StatusCode::Internal,
                       "StatusOr constructed from an Ok status without a value",
                       status_.file(), status_.line());
  }
  /// Holds a value.
  StatusOr(const T &value) : value_(value) {}
  StatusOr(T &&value) : value_(std::move(value)) {}
  /// Holds a value converted from U (e.g. a unique_ptr<Derived>).
  template <class U,
            std::enable_if_t<std::is_constructible_v<T, U &&> &&
                                 !std::is_same_v<std::decay_t<U>, T> &&
                                 !std::is_same_v<std::decay_t<U>, Status> &&
                                 !std::is_same_v<std::decay_t<U>, StatusOr>,
                             int> = 0>
  StatusOr(U &&value) : value_(std::in_place, std::forward<U>(value)) {}

  bool isOk() const { return value_.has_value(); }
  /// The error, or an Ok status when a value is held.
  const Status &status() const { return status_; }

  /// The held value. Calling these on an error aborts with the error's
  /// detailed message (a caller bug: check isOk() first).
  T &value() & {
    status_.checkOk();
    return *value_;
  }
  const T &value() const & {
    status_.checkOk();
    return *value_;
  }
  T &&value() && {
    status_.checkOk();
    return std::move(*value_);
  }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T &&operator*() && { return std::move(*this).value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  /// The value, or `fallback` on error.
  template <class U> T valueOr(U &&fallback) const & {
    return isOk() ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

private:
  Status status_;
  std::optional<T> value_;
};

namespace detail {
inline Status toStatus(const Status &status) { return status; }
inline Status toStatus(Status &&status) { return std::move(status); }
template <class T> Status toStatus(const StatusOr<T> &statusOr) {
  return statusOr.status();
}
} // namespace detail

} // namespace vmgpu::runtime

#define VMGPU_STATUS_CONCAT_INNER(a, b) a##b
#define VMGPU_STATUS_CONCAT(a, b) VMGPU_STATUS_CONCAT_INNER(a, b)

/// Evaluates `expr` (a Status or StatusOr) and returns its Status from the
/// enclosing function when it is an error.
#define VMGPU_RETURN_IF_ERROR(expr)                                            \
  do {                                                                         \
    ::vmgpu::runtime::Status vmgpuStatusTmp =                                  \
        ::vmgpu::runtime::detail::toStatus((expr));                            \
    if (!vmgpuStatusTmp.isOk())                                                \
      return vmgpuStatusTmp;                                                   \
  } while (false)

/// `VMGPU_ASSIGN_OR_RETURN(auto x, makeX());` evaluates a StatusOr<T>; on
/// error returns its Status, otherwise move-assigns the value to `lhs` (a
/// declaration or an lvalue). Expands to several statements: do not use as the
/// body of an unbraced `if`.
#define VMGPU_ASSIGN_OR_RETURN(lhs, expr)                                      \
  VMGPU_ASSIGN_OR_RETURN_IMPL(VMGPU_STATUS_CONCAT(vmgpuStatusOrTmp, __LINE__), \
                              lhs, expr)
#define VMGPU_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                            \
  auto tmp = (expr);                                                           \
  if (!tmp.isOk())                                                             \
    return tmp.status();                                                       \
  lhs = std::move(tmp).value()

#endif // VMGPU_RUNTIME_STATUS_H

// Traps: the per-thread stack of entry guards (sigsetjmp/siglongjmp) that
// every call into generated code runs under, raising traps and exits from
// generated code, runtime helpers and host functions, the stack limit, the
// frame-pointer backtrace walk, and the SIGSEGV/SIGBUS/SIGFPE/SIGILL handler
// that turns faults of generated code into traps and leaves every other
// fault to the previous handler (so host bugs still crash loudly).
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runtime_private.h"

namespace wasmaot::runtime {
namespace {

constexpr int kMaxFrames = 64;
// Stack kept free below the limit for host calls, runtime helpers and
// raising the trap itself.
constexpr uintptr_t kStackMargin = 256 * 1024;
// Below the lowest usable stack address: the kernel's stack guard gap.
constexpr uintptr_t kStackGuardSpan = 1024 * 1024;
constexpr size_t kAltStackSize = 128 * 1024;

struct EntryFrame {
  sigjmp_buf buf;
  EntryFrame* prev;
  uintptr_t frame_address;  // backtrace walks stop here
};

// Written by the signal handler, so plain data only.
struct PendingTrap {
  GuardOutcome::Kind kind;
  uint32_t code;
  int exit_status;
  int frame_count;
  uintptr_t frames[kMaxFrames];
};

thread_local EntryFrame* t_top = nullptr;
thread_local PendingTrap t_pending;
thread_local bool t_thread_ready = false;
thread_local uintptr_t t_stack_low = 0;   // lowest usable address of this thread's stack
thread_local uintptr_t t_stack_high = 0;
thread_local uintptr_t t_stack_limit = 0;
thread_local std::string t_message;        // touched only outside signal handlers

// Frees the thread's alternate signal stack when the thread ends.
struct AltStack {
  void* memory = nullptr;
  ~AltStack() {
    if (!memory) return;
    stack_t disable{};
    disable.ss_flags = SS_DISABLE;
    sigaltstack(&disable, nullptr);
    munmap(memory, kAltStackSize);
  }
};
thread_local AltStack t_alt_stack;

struct sigaction g_previous[NSIG];
constexpr int kHandledSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};

// The main thread's stack without pthread_getattr_np, which parses all of
// /proc/self/maps (a good part of a small module's start-up). The kernel puts
// the executable's file name (AT_EXECFN) at the very top of the initial
// stack, one pointer below the end of its mapping, and lets the stack grow to
// RLIMIT_STACK below that end; glibc computes the same bounds from the maps.
// False (use pthread_getattr_np) when that layout is not what we see.
bool mainThreadStack(uintptr_t* low, uintptr_t* high) {
  if (getpid() != gettid()) return false;
  const char* execfn = reinterpret_cast<const char*>(getauxval(AT_EXECFN));
  struct rlimit limit {};
  if (!execfn || getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t top = reinterpret_cast<uintptr_t>(execfn) + std::strlen(execfn) + 1 + sizeof(void*);
  const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const uintptr_t size = limit.rlim_cur & ~(page - 1);
  // Sanity: page-aligned, above us, and a limit we are within.
  if (top % page != 0 || here >= top || size > (uintptr_t{1} << 32) || top - here >= size) return false;
  *low = top - size;
  *high = top;
  return true;
}

void setUpThread() {
  pthread_attr_t attr;
  uintptr_t low = 0, high = 0;
  if (mainThreadStack(&low, &high)) {
    t_stack_low = low;
    t_stack_high = high;
    t_stack_limit = low + std::min<uintptr_t>(kStackMargin, (high - low) / 4);
  } else if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    t_stack_low = reinterpret_cast<uintptr_t>(addr);
    t_stack_high = t_stack_low + size;
    t_stack_limit = t_stack_low + std::min<uintptr_t>(kStackMargin, size / 4);
  }
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    void* mem = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED) {
      stack_t alt{};
      alt.ss_sp = mem;
      alt.ss_size = kAltStackSize;
      if (sigaltstack(&alt, nullptr) == 0) {
        t_alt_stack.memory = mem;
      } else {
        munmap(mem, kAltStackSize);
      }
    }
  }
  t_thread_ready = true;
}

// Follows the frame-pointer chain from `fp`, appending return addresses
// (minus one, so they fall inside the call instruction). Stays within this
// thread's stack below the innermost entry guard. Async-signal-safe.
int walkFrames(uintptr_t fp, uintptr_t* out, int count) {
  uintptr_t low = t_stack_low;
  uintptr_t high = t_top ? t_top->frame_address : t_stack_high;
  while (count < kMaxFrames) {
    if (fp < low || fp + 2 * sizeof(uintptr_t) > high || (fp & (sizeof(uintptr_t) - 1)) != 0) break;
    const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(fp);
    uintptr_t next = frame[0];
    uintptr_t ret = frame[1];
    if (ret == 0) break;
    out[count++] = ret - 1;
    if (next <= fp) break;
    fp = next;
  }
  return count;
}

[[noreturn]] void abortOutsideGuard(const char* what) {
  // No guard means no frame to return to: jumping anywhere would be worse.
  std::fprintf(stderr, "wasmaot: %s outside any call into wasm; aborting\n", what);
  std::abort();
}

[[noreturn]] __attribute__((noinline)) void raisePending(uint32_t code, const char* message) {
  if (!t_top) abortOutsideGuard(message ? message : abi::trapMessage(static_cast<abi::TrapCode>(code)));
  if (message) {
    t_message = message;
  } else {
    t_message.clear();
  }
  t_pending.kind = GuardOutcome::Kind::Trapped;
  t_pending.code = code;
  t_pending.frame_count = walkFrames(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), t_pending.frames, 0);
  siglongjmp(t_top->buf, 1);
}

thread_local int t_forwarding = 0;

void forwardSignal(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = g_previous[sig];
  // A previous handler that hands the signal back to us would loop forever.
  if (t_forwarding > 0) {
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    if (info->si_code <= 0) raise(sig);
    return;
  }
  struct Depth {
    Depth() { ++t_forwarding; }
    ~Depth() { --t_forwarding; }
  } depth;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(sig, info, context);
      return;
    }
  } else if (prev.sa_handler == SIG_IGN) {
    if (info->si_code <= 0) return;  // a sent signal that was being ignored
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != nullptr) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: restore it; a hardware fault then recurs on return and
  // kills the process as it would have without us, a sent signal is re-raised.
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  if (info->si_code <= 0) raise(sig);
}

void handleSignal(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
#if defined(__x86_64__)
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  uintptr_t fp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]);
#elif defined(__aarch64__)
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.pc);
  uintptr_t fp = static_cast<uintptr_t>(uc->uc_mcontext.regs[29]);
#else
#error "unsupported architecture"
#endif
  abi::TrapCode code = abi::TrapCode::None;
  // Only faults the kernel raised (si_code > 0) in generated code running
  // under a guard on this thread are ours.
  if (t_top != nullptr && info->si_code > 0) {
    if (sig == SIGSEGV || sig == SIGBUS) {
      switch (classifyFault(pc, reinterpret_cast<uintptr_t>(info->si_addr))) {
        case FaultDecision::OutOfBoundsMemory: code = abi::TrapCode::OutOfBoundsMemoryAccess; break;
        case FaultDecision::StackExhausted: code = abi::TrapCode::CallStackExhausted; break;
        case FaultDecision::NotOurs: break;
      }
    } else if (isGeneratedCode(pc)) {
      if (sig == SIGFPE) {
        code = info->si_code == FPE_INTOVF ? abi::TrapCode::IntegerOverflow : abi::TrapCode::IntegerDivideByZero;
      } else if (sig == SIGILL) {
        code = abi::TrapCode::Unreachable;
      }
    }
  }
  if (code == abi::TrapCode::None) {
    forwardSignal(sig, info, context);
    return;
  }
  t_pending.kind = GuardOutcome::Kind::Trapped;
  t_pending.code = static_cast<uint32_t>(code);
  t_pending.frames[0] = pc;
  t_pending.frame_count = walkFrames(fp, t_pending.frames, 1);
  // The message is empty: the code's own wording is used.
  siglongjmp(t_top->buf, 2);
}

}  // namespace

FaultDecision classifyFault(uintptr_t pc, uintptr_t fault_address) {
  if (!isGeneratedCode(pc)) return FaultDecision::NotOurs;
  if (isLinearMemoryReservation(fault_address)) return FaultDecision::OutOfBoundsMemory;
  // A frame too large for the entry check to catch, running into the guard.
  if (t_stack_low != 0 && fault_address + kStackGuardSpan >= t_stack_low && fault_address < t_stack_limit) {
    return FaultDecision::StackExhausted;
  }
  return FaultDecision::NotOurs;
}

void installHandler(int sig) {
  struct sigaction action{};
  action.sa_sigaction = handleSignal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  struct sigaction previous{};
  if (sigaction(sig, &action, &previous) == 0 && previous.sa_sigaction != handleSignal) g_previous[sig] = previous;
}

void ensureSignalHandlersInstalled() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : kHandledSignals) installHandler(sig);
  });
}

namespace {

// Another library (a test framework, a crash reporter) may have replaced our
// handlers since; take them back, chaining to the newcomer. One syscall per
// outermost entry.
void reclaimSignalHandlers() {
  struct sigaction current{};
  if (sigaction(SIGSEGV, nullptr, &current) != 0) return;
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == handleSignal) return;
  for (int sig : kHandledSignals) installHandler(sig);
}

}  // namespace

bool insideGuardedCall() { return t_top != nullptr; }

uintptr_t currentGuardFrameAddress() { return t_top ? t_top->frame_address : UINTPTR_MAX; }

uintptr_t currentThreadStackLimit() {
  if (!t_thread_ready) setUpThread();
  return t_stack_limit;
}

__attribute__((noinline)) GuardOutcome callGuarded(abi::VMContext* ctx, void (*fn)(void*), void* arg) {
  ensureSignalHandlersInstalled();
  if (!t_top) reclaimSignalHandlers();
  if (!t_thread_ready) setUpThread();
  ctx->stack_limit = t_stack_limit;
  EntryFrame frame;
  frame.prev = t_top;
  frame.frame_address = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // savesigs = 0: the handlers use SA_NODEFER, so nothing stays blocked.
  if (sigsetjmp(frame.buf, 0) == 0) {
    t_top = &frame;
    fn(arg);
    t_top = frame.prev;
    return GuardOutcome{};
  }
  t_top = frame.prev;
  GuardOutcome out;
  out.kind = t_pending.kind;
  if (out.kind == GuardOutcome::Kind::Exited) {
    out.exit_status = t_pending.exit_status;
    return out;
  }
  auto code = static_cast<abi::TrapCode>(t_pending.code);
  out.trap.code = code;
  out.trap.message = t_message.empty() ? abi::trapMessage(code) : t_message;
  out.trap.backtrace = symbolizeBacktrace(t_pending.frames, t_pending.frame_count);
  t_message.clear();
  return out;
}

void raiseTrap(abi::TrapCode code, const char* message) {
  raisePending(static_cast<uint32_t>(code), message);
}

void raiseExit(int status) {
  if (!t_top) abortOutsideGuard("proc_exit");
  t_pending.kind = GuardOutcome::Kind::Exited;
  t_pending.exit_status = status;
  t_pending.frame_count = 0;
  siglongjmp(t_top->buf, 1);
}

void trapFromGeneratedCode(abi::VMContext* ctx, uint32_t code) {
  if (code == 0 || code > static_cast<uint32_t>(abi::TrapCode::ExpectedSharedMemory)) {
    raisePending(static_cast<uint32_t>(abi::TrapCode::HostTrap), "unknown trap code from generated code");
  }
  raisePending(code, nullptr);
}

}  // namespace wasmaot::runtime

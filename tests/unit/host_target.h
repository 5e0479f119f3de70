// What test_artifact_file.cpp expects of the host CPU: how a valid
// descriptor names it, which ELF machine and targets it refuses, where its
// libc lives, and feature lists it accepts. One host_target_<cpu>.h per CPU.
#pragma once
#if defined(__x86_64__)
#include "host_target_x86_64.h"
#elif defined(__aarch64__)
#include "host_target_aarch64.h"
#else
#error "no unit-test host facts for this CPU"
#endif

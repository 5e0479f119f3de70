// doctest's main. Its own fatal-signal handlers would replace Kiln's trap
// handlers for the duration of each test case, so they are switched off.
#define DOCTEST_CONFIG_NO_POSIX_SIGNALS
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#pragma once
// Counts operator new calls in a test binary that links vigil_test_allocation_counter
// (it replaces the global operator new and delete). Read the difference around the
// code under test: gtest and the fixture allocate too.

#include <cstddef>

namespace vigil::test {

size_t allocations();
// Allocates once and checks that the count saw it: a test expecting "no
// allocation" would pass vacuously if the replacement were not linked in.
bool counting_works();

}  // namespace vigil::test

#include "tests/support/allocation_counter.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

namespace {

std::atomic<size_t> g_allocations{0};

void* counted_malloc(std::size_t size) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* counted_or_throw(std::size_t size) {
  if (void* p = counted_malloc(size)) return p;
  throw std::bad_alloc();
}

}  // namespace

size_t vigil::test::allocations() {
  return g_allocations.load();
}

bool vigil::test::counting_works() {
  const size_t before = allocations();
  const std::unique_ptr<std::string> text = std::make_unique<std::string>(1000, 'x');
  // Keeps the allocation from being elided: the pointer escapes.
  asm volatile("" : : "r"(text->data()) : "memory");
  return allocations() > before;
}

// Every plain and array form is replaced, so that allocation and release meet in
// malloc and free whatever form a library uses (AddressSanitizer checks this).
void* operator new(std::size_t size) {
  return counted_or_throw(size);
}
void* operator new[](std::size_t size) {
  return counted_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  return counted_malloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  return counted_malloc(size);
}
// GCC cannot see that new and delete are replaced together, both over malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t /*size*/) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t& /*tag*/) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t& /*tag*/) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

// SPDX-License-Identifier: Apache-2.0
//
// Sanitizers.h
//
// XQUEUE_UNDER_ASAN is 1 in a build with AddressSanitizer, whichever compiler (GCC
// defines __SANITIZE_ADDRESS__, clang answers __has_feature).
//


#ifndef XQueueTest_Sanitizers_INCLUDED
#define XQueueTest_Sanitizers_INCLUDED


#if defined(__SANITIZE_ADDRESS__)
#define XQUEUE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XQUEUE_UNDER_ASAN 1
#endif
#endif
#ifndef XQUEUE_UNDER_ASAN
#define XQUEUE_UNDER_ASAN 0
#endif


#endif // XQueueTest_Sanitizers_INCLUDED

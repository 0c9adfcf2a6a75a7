// SPDX-License-Identifier: Apache-2.0
//
// FailureNotice.h
//
// The grade body the LMS receives when a submission could not be graded
// (protocol doc section 8.3; byte-exact).
//


#ifndef XQueue_FailureNotice_INCLUDED
#define XQueue_FailureNotice_INCLUDED


namespace XQueue {


inline constexpr const char* FAILURE_NOTICE_BODY =
	"{\"correct\": null, \"score\": 0, \"msg\": \"<div class=\\\"capa_alert\\\">Your submission could not be graded. "
	"Please recheck your submission and try again. If the problem persists, please notify the course staff.</div>\"}";


} // namespace XQueue


#endif // XQueue_FailureNotice_INCLUDED

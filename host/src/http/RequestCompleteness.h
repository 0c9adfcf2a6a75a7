// SPDX-License-Identifier: Apache-2.0
//
// RequestCompleteness.h
//
// Whether the bytes read ahead from a connection hold a whole request yet, so that a
// request thread is given only requests it can serve without waiting on the client: a
// client dripping its headers or its body waits in the idle set instead of on a thread
// (attack finding: 16 slow POST bodies held all 16 request threads). Only the framing is
// read here (where the head ends, Content-Length, chunked); anything unusual counts as
// complete, so that HttpConnection answers it (400 for ambiguous framing) at once.
//


#ifndef XQueue_RequestCompleteness_INCLUDED
#define XQueue_RequestCompleteness_INCLUDED


#include <cstddef>
#include <string_view>


namespace XQueue {


class RequestCompleteness
{
public:
	enum class Verdict
	{
		INCOMPLETE, /// more bytes are needed before a thread should take it
		COMPLETE,   /// the first request is all there (or malformed: answered at once)
		STREAMED    /// its body is to be read by a request thread as it comes (larger than
		            /// the read-ahead, or the client waits for "100 Continue")
	};

	struct Assessment
	{
		Verdict verdict = Verdict::INCOMPLETE;
		bool headComplete = false; /// the request line and headers are all there
	};

	static constexpr std::size_t MAX_HEAD_BYTES = 64 * 1024;
		/// A head that has not ended by then is the thread's to refuse.

	static Assessment assess(std::string_view bytes, std::size_t maxBodyBytes);
		/// The first request in bytes; a body is waited for up to maxBodyBytes of it.

private:
	static Verdict assessChunkedBody(std::string_view body, std::size_t maxBodyBytes);
};


} // namespace XQueue


#endif // XQueue_RequestCompleteness_INCLUDED

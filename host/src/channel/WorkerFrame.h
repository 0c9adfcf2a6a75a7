// SPDX-License-Identifier: Apache-2.0
//
// WorkerFrame.h
//
// One message between the host and a plugin worker process (xqueue-plugin-worker): a
// type and a payload of fixed-width integers and length-prefixed byte strings. Both
// ends are built from this source and run on one machine, so values are in the
// machine's byte order; a frame is never stored or sent elsewhere.
//


#ifndef XQueue_WorkerFrame_INCLUDED
#define XQueue_WorkerFrame_INCLUDED


#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>


namespace XQueue {


enum class FrameType: std::uint8_t
{
	// host -> worker
	CONFIGURE = 1, /// queue name, limits, the plugin's validated keys: create the instance
	JOB = 2,       /// job id, submission id, deadline, body, files: call grade()
	STOP = 3,      /// destroy the instance and exit
	// worker -> host
	READY = 10,       /// the instance exists
	REFUSED = 11,     /// create() failed: its message
	NOT_STARTED = 12, /// grade() refused the job: job id, the plugin's message
	COMPLETED = 13,   /// job id, outcome, body
	LOG = 14,         /// level, text
	COUNT = 15,       /// counter name, delta
	HEARTBEAT = 16    /// the worker is alive (sent every second, whatever grade() does)
};


class FrameFormatException: public std::runtime_error
	/// A frame whose payload ends before what its type needs, or that is too large.
{
public:
	using std::runtime_error::runtime_error;
};


class FrameWriter
	/// Builds a payload.
{
public:
	FrameWriter& integer(std::uint64_t value);
	FrameWriter& text(std::string_view value);
	const std::string& payload() const;

private:
	std::string _payload;
};


class FrameReader
	/// Reads a payload in the order it was written; throws FrameFormatException when it
	/// runs short.
{
public:
	explicit FrameReader(std::string_view payload);
	std::uint64_t integer();
	std::int64_t signedInteger();
	std::string text();

private:
	std::string_view take(std::size_t size);

	std::string_view _rest;
};


struct WorkerFrame
{
	FrameType type = FrameType::HEARTBEAT;
	std::string payload;
};


} // namespace XQueue


#endif // XQueue_WorkerFrame_INCLUDED

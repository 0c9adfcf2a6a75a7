// SPDX-License-Identifier: Apache-2.0
//
// WorkerChannel.h
//
// One end of the socketpair between the host and a plugin worker: frames of
// [u32 size][u8 type][payload], sent whole under a lock (from any thread) and received
// by one reader. Plain POSIX, no Poco: the worker links nothing it does not need.
//


#ifndef XQueue_WorkerChannel_INCLUDED
#define XQueue_WorkerChannel_INCLUDED


#include "channel/WorkerFrame.h"
#include <mutex>
#include <optional>


namespace XQueue {


class WorkerChannel
{
public:
	static constexpr std::size_t MAX_FRAME_BYTES = std::size_t(1) << 31;

	explicit WorkerChannel(int fd);
		/// Takes ownership of fd (a SOCK_STREAM socket).
	~WorkerChannel();

	WorkerChannel(const WorkerChannel&) = delete;
	WorkerChannel& operator=(const WorkerChannel&) = delete;

	bool send(FrameType type, const std::string& payload = std::string());
		/// The whole frame or nothing useful: false once the other end is gone.

	std::optional<WorkerFrame> receive();
		/// Blocks for the next frame; nothing at end of stream or on an error (a frame
		/// over MAX_FRAME_BYTES counts as one).

	bool readable(int timeoutMillis) const;
		/// A frame (or the end of the stream) can be read without blocking, within the time.

	void shutdown();
		/// Ends both directions: a receive() blocked in another thread returns.

	int fd() const;

private:
	bool readFully(char* data, std::size_t size);

	int _fd;
	std::mutex _sendMutex;
};


} // namespace XQueue


#endif // XQueue_WorkerChannel_INCLUDED

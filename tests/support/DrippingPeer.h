// SPDX-License-Identifier: Apache-2.0
//
// DrippingPeer.h
//
// A peer that accepts one connection and answers with a text one byte at a time (or
// never, if the text is empty), then holds the connection: an LMS or grader too slow for
// any per-read timeout to notice, for the tests of whole-exchange deadlines.
//


#ifndef XQueueTest_DrippingPeer_INCLUDED
#define XQueueTest_DrippingPeer_INCLUDED


#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/StreamSocket.h"
#include <atomic>
#include <chrono>
#include <string>
#include <thread>


namespace XQueueTest {


class DrippingPeer
{
public:
	DrippingPeer(std::string reply, std::chrono::milliseconds pause):
		_socket(Poco::Net::SocketAddress("127.0.0.1", 0)),
		_thread([this, reply, pause]() {
			try
			{
				Poco::Net::StreamSocket peer = _socket.acceptConnection();
				for (char c: reply)
				{
					if (_stop) break;
					peer.sendBytes(&c, 1);
					std::this_thread::sleep_for(pause);
				}
				while (!_stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
			}
			catch (...)
			{
			}
		})
	{
	}

	~DrippingPeer()
	{
		_stop = true;
		// Unblocks an accept that never came.
		try
		{
			Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", _socket.address().port()));
		}
		catch (...)
		{
		}
		_thread.join();
	}

	DrippingPeer(const DrippingPeer&) = delete;
	DrippingPeer& operator=(const DrippingPeer&) = delete;

	std::string url(const std::string& path) const
	{
		return "http://127.0.0.1:" + std::to_string(_socket.address().port()) + path;
	}

private:
	Poco::Net::ServerSocket _socket;
	std::atomic<bool> _stop{false};
	std::thread _thread;
};


} // namespace XQueueTest


#endif // XQueueTest_DrippingPeer_INCLUDED

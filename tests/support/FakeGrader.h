// SPDX-License-Identifier: Apache-2.0
//
// FakeGrader.h
//
// A passive (push) grader on loopback: records every request and answers as the test
// scripts it — a status and body, after a delay — while tracking how many requests it
// was serving at once.
//


#ifndef XQueueTest_FakeGrader_INCLUDED
#define XQueueTest_FakeGrader_INCLUDED


#include "ScriptedPeer.h"
#include <chrono>
#include <map>
#include <string>
#include <vector>


namespace XQueueTest {


struct GraderRequest
{
	std::string body;
	std::string contentType;
	bool hasContentType = false;
	std::map<std::string, std::string> headers; /// names lowercase
	std::chrono::steady_clock::time_point arrived;
};


struct GraderAnswer
{
	int status = 200;
	std::string body = "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}";
	int delayMs = 0;
	int dripMs = 0; /// > 0: the body is sent one byte at a time, this far apart
};


class FakeGrader: public ScriptedPeer<GraderRequest, GraderAnswer>
{
public:
	FakeGrader();
	~FakeGrader() override;

	std::string url() const;
	std::vector<GraderRequest> requests() const;
};


} // namespace XQueueTest


#endif // XQueueTest_FakeGrader_INCLUDED

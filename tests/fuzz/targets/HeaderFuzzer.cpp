// SPDX-License-Identifier: Apache-2.0
//
// HeaderFuzzer.cpp
//
// Fuzz target: the xqueue_header decoders (a submit's lms_callback_url / lms_key /
// queue_name, a put_result's submission_id / submission_key) and the Python-compatible
// JSON quoting every reply goes through. Input: the header text.
//


#include "auth/CallbackAllowList.h"
#include "protocol/HeaderFields.h"
#include "protocol/PythonJson.h"
#include <cstddef>
#include <cstdint>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	std::string text(reinterpret_cast<const char*>(data), size);
	std::string quoted = XQueue::PythonJson::quote(text);
	if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') __builtin_trap();

	Poco::JSON::Object::Ptr pHeader = XQueue::HeaderFields::parseObject(text);
	if (!pHeader) return 0;
	for (const auto& member: *pHeader)
	{
		std::string asString = XQueue::PythonJson::pythonStr(member.second);
		XQueue::HeaderFields::pythonInt(member.second);
		XQueue::PythonJson::quote(asString);
	}
	if (pHeader->has("lms_callback_url"))
	{
		std::string callback = XQueue::PythonJson::pythonStr(pHeader->get("lms_callback_url"));
		XQueue::CallbackAllowList({"https://lms.example.com/courses/"}).permits(callback);
	}
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
//
// FormFuzzer.cpp
//
// Fuzz target: a request body as the server reads a submit (FormReader with the upload
// collector). Input: the Content-Type on the first line, the body after it. Anything
// but the documented refusals escaping is a bug (it would be a 500).
//


#include "files/UploadCollector.h"
#include "http/FormReader.h"
#include "http/RequestExceptions.h"
#include "store/StoreUnavailableException.h"
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	std::string input(reinterpret_cast<const char*>(data), size);
	std::size_t newline = input.find('\n');
	std::string contentType = newline == std::string::npos ? input : input.substr(0, newline);
	std::istringstream body(newline == std::string::npos ? std::string() : input.substr(newline + 1));

	XQueue::FormLimits limits{256 * 1024, 64, 64 * 1024};
	XQueue::UploadLimits uploads;
	uploads.maxFileBytes = 32 * 1024;
	uploads.maxFiles = 8;
	uploads.maxNameBytes = 255;
	uploads.memoryBytes = 1024 * 1024; // never spooled to disk while fuzzing
	XQueue::UploadCollector collector(uploads);
	try
	{
		XQueue::FormData form = XQueue::FormReader::read(body, contentType, limits, &collector);
		std::size_t total = 0;
		for (const auto& field: form.fields) total += field.first.size() + field.second.size();
		if (total > limits.maxBodyBytes) __builtin_trap(); // more out than the cap let in
		for (const auto& file: collector.files())
		{
			if (file->size() > uploads.maxFileBytes && !collector.refusal()) __builtin_trap();
		}
	}
	catch (XQueue::RequestTooLargeException&)
	{
	}
	catch (XQueue::MalformedRequestException&)
	{
	}
	return 0;
}

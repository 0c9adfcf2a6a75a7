// SPDX-License-Identifier: Apache-2.0
//
// FileHandler.cpp
//


#include "http/handlers/FileHandler.h"
#include "files/FileLinks.h"
#include "files/FileStore.h"
#include "store/SubmissionStore.h"
#include "Poco/URI.h"


namespace XQueue {


FileHandler::FileHandler(HostContext& context, std::string key):
	XQueueHandler(context),
	_key(std::move(key))
{
}


void FileHandler::handle(HttpExchange& exchange)
{
	if (!exchange.isMethod("GET") && !exchange.isMethod("HEAD"))
	{
		exchange.addHeader("Allow", "GET, HEAD");
		exchange.sendEnvelope(1, "File requests should use HTTP GET", Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
		return;
	}
	auto expires = exchange.queryParameter("expires");
	auto signature = exchange.queryParameter("signature");
	auto verdict = context().fileLinks.check(_key, expires.value_or(""), signature.value_or(""), context().submissions.currentTime());
	if (verdict == FileLinks::Verdict::BAD_SIGNATURE)
	{
		exchange.sendEnvelope(1, "This file link is not valid", Poco::Net::HTTPResponse::HTTP_FORBIDDEN);
		return;
	}
	if (verdict == FileLinks::Verdict::EXPIRED)
	{
		exchange.sendEnvelope(1, "This file link has expired", Poco::Net::HTTPResponse::HTTP_FORBIDDEN);
		return;
	}
	auto file = context().files.find(_key);
	if (file) exchange.annotate("submission", std::to_string(file->submissionId));
	if (!file)
	{
		exchange.sendEnvelope(1, "This file no longer exists", Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
		return;
	}
	// The name only as a download hint (RFC 6266/5987 form): it never names anything here.
	std::string encodedName;
	Poco::URI::encode(file->fieldName, "!#$&+,/:;=?@[]*'()\"\\%<>^`{|} ", encodedName);
	exchange.addHeader("Content-Disposition", "attachment; filename*=UTF-8''" + encodedName);
	exchange.addHeader("X-Content-Type-Options", "nosniff");
	exchange.addHeader("Cache-Control", "private, no-store");
	std::ostream& out = exchange.sendStream("application/octet-stream", file->size);
	if (exchange.isMethod("HEAD")) return;
	context().files.copyTo(*file, out);
}


} // namespace XQueue

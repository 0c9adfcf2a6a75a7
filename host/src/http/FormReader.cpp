// SPDX-License-Identifier: Apache-2.0
//
// FormReader.cpp
//


#include "http/FormReader.h"
#include "http/BoundedInputStream.h"
#include "http/RequestExceptions.h"
#include "store/StoreUnavailableException.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/MessageHeader.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/NameValueCollection.h"
#include "Poco/Net/NullPartHandler.h"
#include "Poco/String.h"


namespace XQueue {


std::string FormReader::bodyLimitMessage(std::size_t maxBodyBytes)
{
	return "Request body exceeds the limit of " + std::to_string(maxBodyBytes) + " bytes (xqueue.http.max_body_bytes)";
}


FormData FormReader::read(std::istream& stream, const std::string& contentType, const FormLimits& limits,
	Poco::Net::PartHandler* pFileParts)
{
	FormData data;
	BoundedInputStream body(stream, limits.maxBodyBytes);
	std::string mediaType;
	Poco::Net::NameValueCollection params;
	Poco::Net::MessageHeader::splitParameters(contentType, mediaType, params);
	mediaType = Poco::toLower(Poco::trim(mediaType));
	if (mediaType == Poco::Net::HTMLForm::ENCODING_URL || mediaType == Poco::Net::HTMLForm::ENCODING_MULTIPART)
	{
		// Parse the body alone: Django's request.POST never mixes in the query string.
		Poco::Net::HTTPRequest bodyOnly(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
		bodyOnly.setContentType(contentType);
		Poco::Net::HTMLForm parsed;
		parsed.setFieldLimit(limits.maxFields);
		parsed.setValueLengthLimit(static_cast<int>(limits.maxFieldBytes));
		Poco::Net::NullPartHandler dropFiles;
		try
		{
			parsed.load(bodyOnly, body, pFileParts ? *pFileParts : dropFiles);
		}
		catch (Poco::Net::HTMLFormException& exc)
		{
			if (body.exceeded()) throw RequestTooLargeException(bodyLimitMessage(limits.maxBodyBytes));
			if (exc.message().find("Too many") != std::string::npos)
				throw MalformedRequestException("Too many form fields (the limit is " + std::to_string(limits.maxFields) + ", xqueue.http.max_form_fields)");
			throw RequestTooLargeException("A form field exceeds the limit of " + std::to_string(limits.maxFieldBytes) + " bytes (xqueue.http.max_field_bytes)");
		}
		catch (Poco::FileException& exc)
		{
			// An upload could not be spooled (disk full, directory unwritable): ours, not the client's.
			throw StoreUnavailableException("cannot spool an upload: " + exc.displayText());
		}
		catch (Poco::Exception& exc)
		{
			if (body.exceeded()) throw RequestTooLargeException(bodyLimitMessage(limits.maxBodyBytes));
			// A parser's own check failing (an assertion) names a source file: not for clients.
			if (dynamic_cast<Poco::LogicException*>(&exc)) throw MalformedRequestException("Malformed form data");
			throw MalformedRequestException("Malformed form data: " + exc.message());
		}
		for (const auto& entry: parsed) data.fields[entry.first] = entry.second; // the last value wins
	}
	// What the parser left (a multipart epilogue, an unknown content type) is read too,
	// so that the connection can serve the next request.
	char buffer[16384];
	while (body.read(buffer, sizeof(buffer)) || body.gcount() > 0) {}
	if (body.exceeded()) throw RequestTooLargeException(bodyLimitMessage(limits.maxBodyBytes));
	return data;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// FormReader.h
//
// Reads a request body as Django would fill request.POST: urlencoded or multipart
// (file parts go to a PartHandler as they arrive, never held whole), the last value
// of a repeated field wins, the query string is not mixed in. The body is read to its
// end (so the connection can serve the next request) through a cap, and every limit is
// enforced while reading. Separate from HttpExchange so that it can be fuzzed alone.
//


#ifndef XQueue_FormReader_INCLUDED
#define XQueue_FormReader_INCLUDED


#include "http/FormData.h"
#include "Poco/Net/PartHandler.h"
#include <istream>
#include <string>


namespace XQueue {


struct FormLimits
{
	std::size_t maxBodyBytes = 0;  /// xqueue.http.max_body_bytes
	int maxFields = 0;             /// xqueue.http.max_form_fields
	std::size_t maxFieldBytes = 0; /// xqueue.http.max_field_bytes
};


class FormReader
{
public:
	static FormData read(std::istream& body, const std::string& contentType, const FormLimits& limits,
		Poco::Net::PartHandler* pFileParts);
		/// Throws RequestTooLargeException (a limit), MalformedRequestException (not the
		/// form it claims to be) or StoreUnavailableException (an upload could not be
		/// spooled). Bodies of other content types are read and ignored.

	static std::string bodyLimitMessage(std::size_t maxBodyBytes);
};


} // namespace XQueue


#endif // XQueue_FormReader_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// UploadCollector.h
//
// Receives the file parts of a multipart submit from Poco's HTMLForm, streaming each
// into an UploadedFile while enforcing the upload limits. Django's semantics: the
// form field name is the file's name; a repeated name keeps its first position and
// its last content; a part with an empty filename (an empty file input) is skipped.
// A limit exceeded is recorded (the first one) and everything after it is drained,
// so that the request can still be answered with a clear error.
//


#ifndef XQueue_UploadCollector_INCLUDED
#define XQueue_UploadCollector_INCLUDED


#include "files/UploadLimits.h"
#include "files/UploadedFile.h"
#include "Poco/Net/PartHandler.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


class UploadCollector: public Poco::Net::PartHandler
{
public:
	explicit UploadCollector(const UploadLimits& limits);

	void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override;

	const std::vector<std::unique_ptr<UploadedFile>>& files() const;
		/// One per distinct field name, in order of first appearance.

	const std::optional<std::string>& refusal() const;
		/// Why the upload is refused (a limit, a name), or nothing.

	static bool acceptableName(const std::string& name);
		/// Non-empty, valid UTF-8, no control characters. (A name is never used as a
		/// path; this keeps the graders' {name: URL} map printable.)

private:
	void refuse(const std::string& reason);
	static void drain(std::istream& stream);

	UploadLimits _limits;
	std::vector<std::unique_ptr<UploadedFile>> _files;
	int _parts = 0;
	std::optional<std::string> _refusal;
};


} // namespace XQueue


#endif // XQueue_UploadCollector_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// FileLinks.h
//
// The URLs graders fetch files with: <base>/xqueue/files/<key>?expires=<unix time>
// &signature=<HMAC-SHA256 of key and expiry, base64url>. Links are made when a
// submission is handed out (pull or push) and expire after a configured lifetime;
// the key names one file of one submission, and the signature covers key and expiry,
// so a link cannot be stretched in time or turned into a link to another file.
//


#ifndef XQueue_FileLinks_INCLUDED
#define XQueue_FileLinks_INCLUDED


#include "util/Clock.h"
#include <string>


namespace XQueue {


class FileLinks
{
public:
	static const std::string PATH_PREFIX; /// "/xqueue/files/"

	enum class Verdict
	{
		VALID,
		EXPIRED,
		BAD_SIGNATURE
	};

	FileLinks(std::string secret, int lifetimeSeconds, std::string configuredBaseUrl, std::string defaultBaseUrl);
		/// configuredBaseUrl (xqueue.files.base_url) wins when set; otherwise a pull
		/// grader gets links to the address it reached us at (its Host header), and a
		/// push grader links to defaultBaseUrl.

	std::string baseUrlFor(const std::string& hostHeader) const;
		/// For a grader that sent hostHeader ("" when there is no request).

	std::string urlMap(const std::string& keyMap, const std::string& baseUrl, Micros now) const;
		/// xqueue_files for a grader: the stored JSON {field name: key} as the JSON text
		/// (Python's json.dumps form) of {field name: URL}, in the same order.

	std::string url(const std::string& key, const std::string& baseUrl, Micros now) const;

	Verdict check(const std::string& key, const std::string& expires, const std::string& signature, Micros now) const;

	static bool isKey(const std::string& text);
		/// 32 lowercase hex characters: the shape of every file key.

private:
	std::string sign(const std::string& key, const std::string& expires) const;

	std::string _secret;
	int _lifetimeSeconds;
	std::string _configuredBaseUrl;
	std::string _defaultBaseUrl;
};


} // namespace XQueue


#endif // XQueue_FileLinks_INCLUDED

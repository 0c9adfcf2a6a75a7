// SPDX-License-Identifier: Apache-2.0
//
// FileLinks.cpp
//


#include "files/FileLinks.h"
#include "protocol/PythonJson.h"
#include "util/Digest.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/NumberParser.h"


namespace XQueue {


const std::string FileLinks::PATH_PREFIX = "/xqueue/files/";


namespace
{
	std::string withoutTrailingSlash(std::string url)
	{
		while (!url.empty() && url.back() == '/') url.pop_back();
		return url;
	}

	bool plausibleHost(const std::string& host)
		/// A host name or address with an optional port: nothing that could change
		/// the shape of the URL we put it in.
	{
		if (host.empty() || host.size() > 255) return false;
		for (char c: host)
		{
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
			if (!ok) return false;
		}
		return true;
	}
}


FileLinks::FileLinks(std::string secret, int lifetimeSeconds, std::string configuredBaseUrl, std::string defaultBaseUrl):
	_secret(std::move(secret)),
	_lifetimeSeconds(lifetimeSeconds),
	_configuredBaseUrl(withoutTrailingSlash(std::move(configuredBaseUrl))),
	_defaultBaseUrl(withoutTrailingSlash(std::move(defaultBaseUrl)))
{
}


std::string FileLinks::baseUrlFor(const std::string& hostHeader) const
{
	if (!_configuredBaseUrl.empty()) return _configuredBaseUrl;
	if (plausibleHost(hostHeader)) return "http://" + hostHeader;
	return _defaultBaseUrl;
}


std::string FileLinks::sign(const std::string& key, const std::string& expires) const
{
	return Digest::hmacSha256Base64Url(_secret, "xqueue-file-link\n" + key + "\n" + expires);
}


std::string FileLinks::url(const std::string& key, const std::string& baseUrl, Micros now) const
{
	std::string expires = std::to_string(now / MICROS_PER_SECOND + _lifetimeSeconds);
	return baseUrl + PATH_PREFIX + key + "?expires=" + expires + "&signature=" + sign(key, expires);
}


std::string FileLinks::urlMap(const std::string& keyMap, const std::string& baseUrl, Micros now) const
{
	if (keyMap == "{}") return keyMap;
	Poco::JSON::Object::Ptr pKeys;
	try
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true)); // keeps the upload order
		pKeys = parser.parse(keyMap).extract<Poco::JSON::Object::Ptr>();
	}
	catch (Poco::Exception&)
	{
		return keyMap; // not ours to interpret: handed on as stored
	}
	std::string out = "{";
	for (const auto& name: pKeys->getNames())
	{
		if (out.size() > 1) out += ", ";
		PythonJson::appendQuoted(out, name);
		out += ": ";
		// A value that is not a key (a URL in a row imported from the old server) is kept.
		std::string value = pKeys->get(name).toString();
		PythonJson::appendQuoted(out, isKey(value) ? url(value, baseUrl, now) : value);
	}
	out += '}';
	return out;
}


bool FileLinks::isKey(const std::string& text)
{
	if (text.size() != 32) return false;
	for (char c: text)
	{
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
	}
	return true;
}


FileLinks::Verdict FileLinks::check(const std::string& key, const std::string& expires, const std::string& signature, Micros now) const
{
	// The signature first, so that an expiry time is only believed once it is ours.
	if (!Digest::constantTimeEquals(sign(key, expires), signature)) return Verdict::BAD_SIGNATURE;
	Poco::Int64 expiresAt = 0;
	if (!Poco::NumberParser::tryParse64(expires, expiresAt)) return Verdict::BAD_SIGNATURE;
	if (expiresAt <= now / MICROS_PER_SECOND) return Verdict::EXPIRED;
	return Verdict::VALID;
}


} // namespace XQueue

// SPDX-License-Identifier: Apache-2.0
//
// PythonXqueueFiles.cpp
//


#include "admin/PythonXqueueFiles.h"
#include "Poco/Exception.h"
#include "Poco/FileStream.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include "Poco/URI.h"
#include <sstream>


namespace XQueue {


namespace {


constexpr std::size_t MEMORY_BYTES = 64 * 1024;
const Poco::Timespan NETWORK_TIMEOUT(30, 0);


void copyLimited(std::istream& in, UploadedFile& file, Poco::UInt64 maxBytes, const std::string& url)
{
	char buffer[8192];
	while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0)
	{
		if (file.size() + static_cast<Poco::UInt64>(in.gcount()) > maxBytes)
			throw Poco::DataException(url + " is larger than the limit of " + std::to_string(maxBytes) + " bytes (xqueue.files.max_file_bytes)");
		file.append(buffer, static_cast<std::size_t>(in.gcount()));
	}
}


} // namespace


PythonXqueueFiles::PythonXqueueFiles(std::string mediaRoot, std::string mediaUrl, Poco::UInt64 maxBytes, std::string spoolDirectory):
	_mediaRoot(std::move(mediaRoot)),
	_mediaUrl(std::move(mediaUrl)),
	_maxBytes(maxBytes),
	_spoolDirectory(std::move(spoolDirectory))
{
}


std::string PythonXqueueFiles::localPath(const std::string& url) const
{
	if (_mediaRoot.empty()) return "";
	std::string relative;
	if (!_mediaUrl.empty() && Poco::startsWith(url, _mediaUrl)) relative = url.substr(_mediaUrl.size());
	else if (url.find("://") == std::string::npos) relative = url;
	else return "";
	relative = relative.substr(0, relative.find_first_of("?#"));
	// Only below the media root: the database is not trusted to name /etc/shadow.
	Poco::Path path(relative, Poco::Path::PATH_UNIX);
	for (int i = 0; i < path.depth(); ++i)
	{
		if (path[i] == ".." ) throw Poco::DataException("'" + url + "' leaves the media root");
	}
	if (path.isAbsolute() || relative.empty()) throw Poco::DataException("'" + url + "' does not name a file under the media root");
	return Poco::Path(Poco::Path(_mediaRoot).makeDirectory(), path).toString();
}


std::unique_ptr<UploadedFile> PythonXqueueFiles::read(const std::string& fieldName, const std::string& url) const
{
	auto pFile = std::make_unique<UploadedFile>(fieldName, MEMORY_BYTES, _spoolDirectory);
	std::string path = localPath(url);
	if (!path.empty())
	{
		Poco::FileInputStream in(path); // throws FileNotFoundException naming it
		copyLimited(in, *pFile, _maxBytes, url);
	}
	else fetch(url, *pFile);
	pFile->finish();
	return pFile;
}


std::string PythonXqueueFiles::readText(const std::string& url) const
{
	auto pFile = read("", url);
	std::ostringstream text;
	pFile->copyTo(text);
	return text.str();
}


void PythonXqueueFiles::fetch(const std::string& url, UploadedFile& file) const
{
	Poco::URI uri(url);
	std::unique_ptr<Poco::Net::HTTPClientSession> pSession;
	if (uri.getScheme() == "https") pSession = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
	else if (uri.getScheme() == "http") pSession = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
	else throw Poco::DataException("'" + url + "' is neither an http(s) URL nor a file under --media-root");
	pSession->setTimeout(NETWORK_TIMEOUT);
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
	pSession->sendRequest(request);
	Poco::Net::HTTPResponse response;
	std::istream& in = pSession->receiveResponse(response);
	if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
		throw Poco::DataException(url + " answered " + std::to_string(static_cast<int>(response.getStatus())) + " " + response.getReason());
	copyLimited(in, file, _maxBytes, url);
}


} // namespace XQueue

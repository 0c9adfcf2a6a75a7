// SPDX-License-Identifier: Apache-2.0
//
// SecretFile.h
//
// A secret kept in a file of its own (passwords, keys): never in the main configuration.
//


#ifndef XQueue_SecretFile_INCLUDED
#define XQueue_SecretFile_INCLUDED


#include <string>


namespace XQueue {


class SecretFile
{
public:
	static std::string firstLine(const std::string& path);
		/// The file's first line without its line end. Throws Poco::FileNotFoundException
		/// (or another Poco::Exception) for an unreadable file.
};


} // namespace XQueue


#endif // XQueue_SecretFile_INCLUDED

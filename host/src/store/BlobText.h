// SPDX-License-Identifier: Apache-2.0
//
// BlobText.h
//
// Byte-exact string <-> Poco CLOB conversion. Poco 1.11's SQLite extractor reads
// std::string with strlen(), which would cut a student's body at its first NUL byte.
// Poco binds an empty CLOB as NULL: bind CLOBs into NOT NULL columns as COALESCE(?, X'').
//


#ifndef XQueue_BlobText_INCLUDED
#define XQueue_BlobText_INCLUDED


#include "Poco/Data/LOB.h"
#include <string>
#include <string_view>


namespace XQueue {


inline Poco::Data::CLOB toClob(std::string_view text)
{
	return Poco::Data::CLOB(text.data(), text.size());
}


inline std::string fromClob(const Poco::Data::CLOB& clob)
{
	if (clob.size() == 0) return std::string();
	return std::string(clob.rawContent(), clob.size());
}


} // namespace XQueue


#endif // XQueue_BlobText_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SecretFile.cpp
//


#include "config/SecretFile.h"
#include "Poco/FileStream.h"


namespace XQueue {


std::string SecretFile::firstLine(const std::string& path)
{
	Poco::FileInputStream in(path);
	std::string line;
	std::getline(in, line);
	while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
	return line;
}


} // namespace XQueue

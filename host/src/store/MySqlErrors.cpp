// SPDX-License-Identifier: Apache-2.0
//
// MySqlErrors.cpp
//


#include "store/MySqlErrors.h"
#include <cstdlib>
#include <cstring>


namespace XQueue {


int MySqlErrors::code(const std::string& message)
{
	for (const char* marker: {"[mysql_stmt_errno]: ", "[mysql_errno]: "})
	{
		auto at = message.find(marker);
		if (at != std::string::npos) return std::atoi(message.c_str() + at + std::strlen(marker));
	}
	return 0;
}


bool MySqlErrors::connectionLost(int code)
{
	return code == 2006 || code == 2013 || code == 2055 || code == 4031;
}


bool MySqlErrors::lostDuringCommit(int code)
{
	return code == 2006 || code == 2013 || code == 4031;
}


bool MySqlErrors::retryable(int code)
{
	return code == DEADLOCK || code == LOCK_WAIT_TIMEOUT || connectionLost(code);
}


} // namespace XQueue

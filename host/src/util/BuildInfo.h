// SPDX-License-Identifier: Apache-2.0
//
// BuildInfo.h
//
// What this build is: the release version (CMake's project version) and the plugin ABI
// it offers. Printed by --version and exported as xqueue_build_info.
//


#ifndef XQueue_BuildInfo_INCLUDED
#define XQueue_BuildInfo_INCLUDED


#include <string>


namespace XQueue {


class BuildInfo
{
public:
	static std::string version();
		/// "0.1.0"

	static std::string describe(const std::string& program);
		/// "xqueue-server 0.1.0 (plugin ABI 1.1)"
};


} // namespace XQueue


#endif // XQueue_BuildInfo_INCLUDED

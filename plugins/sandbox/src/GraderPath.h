// SPDX-License-Identifier: Apache-2.0
//
// GraderPath.h
//
// A problem's grader file, named by grader_payload's "grader" relative to the queue's
// grader root, as xqueue-watcher resolves it: a path with a ".." component is refused,
// and so is one that resolves (symbolic links followed) outside the root.
//


#ifndef XQueuePlugin_GraderPath_INCLUDED
#define XQueuePlugin_GraderPath_INCLUDED


#include <string>


namespace XQueuePlugin {


class GraderPath
{
public:
	static std::string resolve(const std::string& root, const std::string& relative);
		/// The path relative to the root's real path ("week1/square.py"). Throws
		/// std::invalid_argument naming the problem.
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_GraderPath_INCLUDED

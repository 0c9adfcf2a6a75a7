// SPDX-License-Identifier: Apache-2.0
//
// UploadLimits.h
//
// What one submit request may upload (xqueue.files.*), and where uploads are spooled.
//


#ifndef XQueue_UploadLimits_INCLUDED
#define XQueue_UploadLimits_INCLUDED


#include <cstddef>
#include <string>


namespace XQueue {


struct UploadLimits
{
	std::size_t maxFileBytes = 10 * 1024 * 1024; /// xqueue.files.max_file_bytes
	int maxFiles = 256;                          /// xqueue.files.max_files
	std::size_t maxNameBytes = 255;              /// xqueue.files.max_name_bytes
	std::size_t memoryBytes = 64 * 1024;         /// larger uploads are spooled to a file
	std::string spoolDirectory;
};


} // namespace XQueue


#endif // XQueue_UploadLimits_INCLUDED

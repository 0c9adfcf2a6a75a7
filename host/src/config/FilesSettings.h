// SPDX-License-Identifier: Apache-2.0
//
// FilesSettings.h
//
// Uploaded files: storage, limits, links and retention (xqueue.files.*).
//


#ifndef XQueue_FilesSettings_INCLUDED
#define XQueue_FilesSettings_INCLUDED


#include <cstddef>
#include <string>


namespace XQueue {


struct FilesSettings
{
	std::string storage = "database";
	std::string directory;
	std::string spoolDirectory;
	std::size_t maxFileBytes = 10 * 1024 * 1024;
	int maxFiles = 256;
	std::size_t maxNameBytes = 255;
	std::string baseUrl;
	int urlLifetime = 3600;
	std::string urlSecretFile;
	int retentionDays = 30;
	int orphanGrace = 3600;
	double sweepInterval = 3600.0;

	std::string linkSecret() const;
		/// The key from url_secret_file, or "" when none is configured (the store then
		/// keeps one). Throws for an unreadable file or a key under 16 characters.
};


} // namespace XQueue


#endif // XQueue_FilesSettings_INCLUDED

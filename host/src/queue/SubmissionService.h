// SPDX-License-Identifier: Apache-2.0
//
// SubmissionService.h
//
// Taking a submission in, once the request is validated: its files and the submission
// stored in one transaction (files first written as contents, then linked), the files
// confirmed, and the queue's dispatch woken. What submit does between the HTTP request and
// the stores, so that the handler only translates HTTP.
//


#ifndef XQueue_SubmissionService_INCLUDED
#define XQueue_SubmissionService_INCLUDED


#include "files/FileStore.h"
#include "queue/QueueRuntime.h"
#include "store/SubmissionStore.h"
#include <memory>
#include <vector>


namespace XQueue {


class SubmissionService
{
public:
	SubmissionService(SubmissionStore& submissions, FileStore& files, QueueRuntime& queues);

	SubmitResult submit(NewSubmission submission, const std::vector<std::unique_ptr<UploadedFile>>& uploads);
		/// Stores the submission with its uploads (their keys go into its files map) and
		/// wakes its queue. Throws (StoreUnavailableException, ...) with nothing stored.

private:
	SubmissionStore& _submissions;
	FileStore& _files;
	QueueRuntime& _queues;
};


} // namespace XQueue


#endif // XQueue_SubmissionService_INCLUDED

// SPDX-License-Identifier: Apache-2.0
//
// SubmissionService.cpp
//


#include "queue/SubmissionService.h"


namespace XQueue {


SubmissionService::SubmissionService(SubmissionStore& submissions, FileStore& files, QueueRuntime& queues):
	_submissions(submissions),
	_files(files),
	_queues(queues)
{
}


SubmitResult SubmissionService::submit(NewSubmission submission, const std::vector<std::unique_ptr<UploadedFile>>& uploads)
{
	FileAttachment attachment = _files.prepare(uploads);
	submission.files = attachment.keyMap;
	Micros now = _submissions.currentTime();
	SubmitResult result = _submissions.submit(submission, now,
		[&](Poco::Data::Session& session, Poco::Int64 id) { _files.attach(session, id, attachment, now); });
	_files.confirm(attachment);
	_queues.submitted(submission.queueName);
	return result;
}


} // namespace XQueue

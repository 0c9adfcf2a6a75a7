// SPDX-License-Identifier: Apache-2.0
//
// RequestExceptions.h
//
// A request the client got wrong, thrown while reading it and answered by XQueueHandler
// with an envelope: too large (413) or malformed (400). Never a 5xx.
//


#ifndef XQueue_RequestExceptions_INCLUDED
#define XQueue_RequestExceptions_INCLUDED


#include "Poco/Exception.h"


namespace XQueue {


POCO_DECLARE_EXCEPTION(, RequestTooLargeException, Poco::RuntimeException)
	/// Body or a field over a configured limit: answered 413 with an envelope.

POCO_DECLARE_EXCEPTION(, MalformedRequestException, Poco::RuntimeException)
	/// A body that cannot be parsed as the form it claims to be: answered 400.


} // namespace XQueue


#endif // XQueue_RequestExceptions_INCLUDED

//
// main.cpp
//
// Entry point of xqueue-admin.
//


#include "admin/XQueueAdmin.h"
#include "Poco/Exception.h"
#include <iostream>


int main(int argc, char** argv)
{
	XQueue::XQueueAdmin app;
	try
	{
		app.init(argc, argv);
	}
	catch (Poco::Exception& exc)
	{
		std::cerr << "xqueue-admin: " << exc.displayText() << "\n";
		return 64;
	}
	return app.run();
}

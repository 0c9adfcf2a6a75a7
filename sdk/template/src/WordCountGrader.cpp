//
// WordCountGrader.cpp
//
// A complete in-process grader to copy: an essay answer is correct when its number of
// words is within the limits configured for the queue (or given in grader_payload).
//
// Queue configuration (xqueue.queues.<queue>.<key>):
//   min_words   int  default 50
//   max_words   int  default 500
//
// grader_payload may override them: {"min_words": 10, "max_words": 20}
//


#include "xqueue/sdk/Grade.hpp"
#include "xqueue/sdk/Json.hpp"
#include "xqueue/sdk/Plugin.hpp"
#include <sstream>
#include <stdexcept>
#include <string>


namespace {


// The keys this plugin accepts; the host validates them before the constructor runs.
const xq_config_key KEYS[] = {
	{"min_words", XQ_CONFIG_INT, "50", "Fewest words for a correct answer."},
	{"max_words", XQ_CONFIG_INT, "500", "Most words for a correct answer."},
};


class WordCountGrader: public xqueue::sdk::GraderAdapter
{
public:
	// Runs once per queue on the host's main thread; throw to refuse to start.
	explicit WordCountGrader(const xqueue::sdk::QueueHost& queue):
		GraderAdapter(queue),
		_minWords(queue.configInt("min_words")),
		_maxWords(queue.configInt("max_words"))
	{
		if (_minWords < 0 || _maxWords < _minWords) throw std::invalid_argument("need 0 <= min_words <= max_words");
		xqueue::sdk::Host::info("word_count grading queue " + queue.name());
	}

	// Runs on host worker threads, possibly concurrently: keep it free of shared state.
	void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override
	{
		auto body = xqueue::sdk::LmsBody::parse(job.body); // throws: the job fails, the host retries
		xqueue::sdk::JsonValue options = body.payload();   // null when empty or not JSON
		auto minWords = static_cast<long long>(options.numberOr("min_words", static_cast<double>(_minWords)));
		auto maxWords = static_cast<long long>(options.numberOr("max_words", static_cast<double>(_maxWords)));
		std::istringstream words(body.studentResponse());
		long long count = 0;
		for (std::string word; words >> word; ) ++count;

		bool correct = count >= minWords && count <= maxWords;
		std::string msg = "<p>Your answer has " + std::to_string(count) + " words; between " + std::to_string(minWords) +
			" and " + std::to_string(maxWords) + " are expected.</p>";
		xqueue::sdk::Host::count(correct ? "correct" : "incorrect");
		done.graded(xqueue::sdk::gradeJson(correct, correct ? 1.0 : 0.0, msg));
	}

private:
	long long _minWords;
	long long _maxWords;
};


} // namespace


XQ_DECLARE_PLUGIN(WordCountGrader, "word_count", "1.0.0", XQ_MODE_DISPATCH,
	"Essay length check: correct when the word count is within limits.", XQ_PLUGIN_KEYS(KEYS))

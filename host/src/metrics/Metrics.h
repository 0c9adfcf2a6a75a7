// SPDX-License-Identifier: Apache-2.0
//
// Metrics.h
//
// This process's counters and histograms, rendered in the Prometheus text format by
// GET /metrics (with the queue gauges read from the store at scrape time). One registry
// per process, reached like Poco's loggers, so that the HTTP front end, the dispatch slots
// and the delivery threads count without being handed it.
//


#ifndef XQueue_Metrics_INCLUDED
#define XQueue_Metrics_INCLUDED


#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>


namespace XQueue {


class Metrics
{
public:
	using Labels = std::vector<std::pair<std::string, std::string>>;

	static Metrics& instance();

	void describe(const std::string& name, const std::string& type, const std::string& help);
		/// HELP and TYPE lines for a family (counter, gauge or histogram).

	void add(const std::string& name, const Labels& labels, double amount = 1.0);
		/// Adds to a counter.

	void observe(const std::string& name, const Labels& labels, double seconds);
		/// Records a duration in a histogram (buckets from 5 ms to 10 min).

	double value(const std::string& name, const Labels& labels) const;
		/// A counter's current value (0 if never added to).

	std::string render() const;
		/// Every family in the text exposition format, version 0.0.4.

	static std::string labelText(const Labels& labels);
		/// {a="x",b="y"} with the format's escaping, "" for no labels.

private:
	Metrics();

	struct Histogram
	{
		std::vector<double> counts; /// per bucket, not cumulative
		double sum = 0;
		double count = 0;
	};

	struct Family
	{
		std::string type;
		std::string help;
		std::map<std::string, double> counters;      /// label text -> value
		std::map<std::string, Histogram> histograms; /// label text (no braces) -> histogram
	};

	mutable std::mutex _mutex;
	std::map<std::string, Family> _families;
	std::vector<double> _buckets;
};


} // namespace XQueue


#endif // XQueue_Metrics_INCLUDED

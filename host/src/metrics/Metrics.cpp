// SPDX-License-Identifier: Apache-2.0
//
// Metrics.cpp
//


#include "metrics/Metrics.h"
#include "Poco/NumberFormatter.h"


namespace XQueue {


namespace
{
	std::string number(double value)
	{
		if (value == static_cast<double>(static_cast<long long>(value))) return std::to_string(static_cast<long long>(value));
		return Poco::NumberFormatter::format(value);
	}

	std::string innerLabels(const Metrics::Labels& labels)
	{
		std::string text = Metrics::labelText(labels);
		return text.empty() ? text : text.substr(1, text.size() - 2);
	}
}


Metrics& Metrics::instance()
{
	static Metrics metrics;
	return metrics;
}


Metrics::Metrics():
	_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}
{
}


std::string Metrics::labelText(const Labels& labels)
{
	if (labels.empty()) return std::string();
	std::string text = "{";
	for (const auto& [name, value]: labels)
	{
		if (text.size() > 1) text += ',';
		text += name + "=\"";
		for (char c: value)
		{
			if (c == '\\') text += "\\\\";
			else if (c == '"') text += "\\\"";
			else if (c == '\n') text += "\\n";
			else text += c;
		}
		text += '"';
	}
	return text + "}";
}


void Metrics::describe(const std::string& name, const std::string& type, const std::string& help)
{
	std::lock_guard<std::mutex> lock(_mutex);
	Family& family = _families[name];
	family.type = type;
	family.help = help;
}


void Metrics::add(const std::string& name, const Labels& labels, double amount)
{
	std::string key = labelText(labels);
	std::lock_guard<std::mutex> lock(_mutex);
	Family& family = _families[name];
	if (family.type.empty()) family.type = "counter";
	family.counters[key] += amount;
}


void Metrics::observe(const std::string& name, const Labels& labels, double seconds)
{
	std::string key = innerLabels(labels);
	std::lock_guard<std::mutex> lock(_mutex);
	Family& family = _families[name];
	if (family.type.empty()) family.type = "histogram";
	Histogram& histogram = family.histograms[key];
	if (histogram.counts.empty()) histogram.counts.assign(_buckets.size(), 0);
	for (std::size_t i = 0; i < _buckets.size(); ++i)
	{
		if (seconds <= _buckets[i])
		{
			histogram.counts[i] += 1;
			break;
		}
	}
	histogram.sum += seconds;
	histogram.count += 1;
}


double Metrics::value(const std::string& name, const Labels& labels) const
{
	std::string key = labelText(labels);
	std::lock_guard<std::mutex> lock(_mutex);
	auto family = _families.find(name);
	if (family == _families.end()) return 0;
	auto counter = family->second.counters.find(key);
	return counter == family->second.counters.end() ? 0 : counter->second;
}


std::string Metrics::render() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::string out;
	for (const auto& [name, family]: _families)
	{
		if (!family.help.empty()) out += "# HELP " + name + " " + family.help + "\n";
		out += "# TYPE " + name + " " + family.type + "\n";
		for (const auto& [labels, value]: family.counters) out += name + labels + " " + number(value) + "\n";
		for (const auto& [labels, histogram]: family.histograms)
		{
			std::string prefix = labels.empty() ? "" : labels + ",";
			double cumulative = 0;
			for (std::size_t i = 0; i < _buckets.size(); ++i)
			{
				cumulative += histogram.counts[i];
				out += name + "_bucket{" + prefix + "le=\"" + number(_buckets[i]) + "\"} " + number(cumulative) + "\n";
			}
			out += name + "_bucket{" + prefix + "le=\"+Inf\"} " + number(histogram.count) + "\n";
			std::string braces = labels.empty() ? "" : "{" + labels + "}";
			out += name + "_sum" + braces + " " + number(histogram.sum) + "\n";
			out += name + "_count" + braces + " " + number(histogram.count) + "\n";
		}
	}
	return out;
}


} // namespace XQueue

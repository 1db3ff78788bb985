"""bench/peers/platespin_peers without any peer: the wrk parser, the median, the rows, start-and-wait."""
import os
import sys
import tempfile
import unittest

from platespin_peers import docs_section, document, processes, settings, stats, wrk

# wrk 4.1's --latency output, as Debian's wrk prints it (with errors and non-2xx answers).
WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8001/flags/ad/ad.gif
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   654.32us  201.10us  12.50ms   91.23%
    Req/Sec    97.66k     3.21k  101.02k    78.00%
  Latency Distribution
     50%  612.00us
     75%  701.00us
     90%  812.00us
     99%    1.68ms
  976584 requests in 10.00s, 11.23GB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  97658.40
Transfer/sec:      1.12GB
"""


class WrkParser(unittest.TestCase):
    def test_reads_rate_percentiles_max_and_errors(self):
        result = wrk.parse(WRK_OUTPUT)
        self.assertEqual(result["requests_per_s"], 97658.40)
        self.assertAlmostEqual(result["p50_ms"], 0.612)
        self.assertAlmostEqual(result["p99_ms"], 1.68)
        self.assertAlmostEqual(result["max_ms"], 12.5)
        self.assertEqual(result["errors"], 3 + 1 + 2 + 7)

    def test_durations_in_every_unit(self):
        self.assertAlmostEqual(wrk.to_ms("812.00us"), 0.812)
        self.assertAlmostEqual(wrk.to_ms("1.23ms"), 1.23)
        self.assertAlmostEqual(wrk.to_ms("2.50s"), 2500)
        self.assertAlmostEqual(wrk.to_ms("1.05m"), 63000)
        with self.assertRaises(ValueError):
            wrk.to_ms("fast")

    def test_output_without_a_rate_is_an_error(self):
        with self.assertRaises(ValueError):
            wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


class Median(unittest.TestCase):
    def test_odd_even_empty_and_missing_values(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)
        self.assertIsNone(stats.median([]))
        self.assertEqual(stats.median([None, 5, None]), 5)

    def test_ratio_needs_a_positive_peer(self):
        self.assertEqual(stats.ratio(3, 2), 1.5)
        self.assertIsNone(stats.ratio(3, 0))
        self.assertIsNone(stats.ratio(None, 2))


class Rows(unittest.TestCase):
    def test_a_row_carries_medians_ratio_and_every_round(self):
        comparison = document.Comparison("c", "title", "setup")
        comparison.add_row("keep-alive", "req/s", "flag_server", [3, 1, 2], "nginx", [1, 1, 2])
        comparison.add_row("direct", "req/s", "flag_server", [5])
        first, second = comparison.as_json()["rows"]
        self.assertEqual((first["ours_value"], first["peer_value"], first["ratio"]), (2, 1, 2))
        self.assertEqual(first["rounds"], [{"ours": 3, "peer": 1}, {"ours": 1, "peer": 1}, {"ours": 2, "peer": 2}])
        self.assertEqual((second["peer"], second["peer_value"], second["ratio"]), (None, None, None))

    def test_the_document_is_written_whole(self):
        peers = document.new_document("test")
        self.assertEqual(peers["schema"], "platespin.peers/1")
        document.finish(peers)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "sub", "peers.json")
            document.write_whole(path, peers)
            self.assertEqual(os.listdir(os.path.dirname(path)), ["peers.json"])


class Settings(unittest.TestCase):
    def test_durations(self):
        self.assertEqual(settings.seconds("10s"), 10)
        self.assertEqual(settings.seconds("2m"), 120)
        self.assertEqual(settings.seconds("3"), 3)


class StartAndWait(unittest.TestCase):
    def test_reads_the_port_from_the_listening_line(self):
        with tempfile.TemporaryDirectory() as work, processes.Services(work) as services:
            program = "import sys, time; print('starting'); print('listening on 127.0.0.1:4321', flush=True); time.sleep(60)"
            process, port = services.start_announcing("fake", [sys.executable, "-c", program])
            self.assertEqual(port, 4321)
            self.assertIsNone(process.poll())
        self.assertIsNotNone(process.poll())  # leaving the block ended it

    def test_a_program_that_never_announces_is_an_error_naming_it(self):
        with tempfile.TemporaryDirectory() as work, processes.Services(work) as services:
            with self.assertRaisesRegex(processes.StartError, "quiet did not announce"):
                services.start_announcing("quiet", [sys.executable, "-c", "import sys; sys.exit('no port')"])


class DocsSection(unittest.TestCase):
    def test_only_the_text_between_the_markers_changes(self):
        text = f"prose\n{docs_section.BEGIN}\nold table\n{docs_section.END}\nmore prose\n"
        self.assertEqual(docs_section.replace_between_markers(text, "new table\n"),
                         f"prose\n{docs_section.BEGIN}\nnew table\n{docs_section.END}\nmore prose\n")

    def test_missing_or_doubled_markers_are_an_error(self):
        with self.assertRaises(ValueError):
            docs_section.replace_between_markers("no markers", "x")
        with self.assertRaises(ValueError):
            docs_section.replace_between_markers(f"{docs_section.END}\n{docs_section.BEGIN}", "x")


if __name__ == "__main__":
    unittest.main()

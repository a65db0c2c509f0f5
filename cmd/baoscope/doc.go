// Command baoscope crawls Báo Lâm Đồng and its vietnam.vn translations,
// detects each document's language, indexes them for cross-language
// search and serves the search.
//
//	baoscope demo                      # sample site → crawl → index → serve
//	baoscope crawl   --data DIR        # crawl the real sites (or --baolamdong-url …)
//	baoscope serve   --data DIR        # search API on --addr
//	baoscope search  --data DIR QUERY  # search from the terminal
//	baoscope reindex --data DIR        # rebuild the index from stored documents
//	baoscope detect  [FILE|-]          # language of a text
//	baoscope bench   [--docs N]        # throughput, latency, size, memory
//	baoscope mirror  [--reports N]     # serve the sample sites on loopback
//
// main only calls run, which tests call with buffers.
package main

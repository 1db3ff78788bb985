"""platespin's side-by-side benchmarks against peers (nginx, haproxy, Toxiproxy, toxy, curl).

One module per comparison (server_vs_nginx, proxy_vs_peers, clients_vs_peers), each
returning a comparison for the platespin.peers/1 document (document.py) that
`flagbench report` renders as Markdown. Standard library only.
"""

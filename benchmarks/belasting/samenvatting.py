"""Print throughput, p50/p95/p99 and errors from locust's CSV (the Aggregated row and per URL)."""

import csv
import sys

rijen = list(csv.DictReader(open(sys.argv[1])))
print(f"{'verzoek':44} {'aantal':>7} {'fout':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
for r in rijen:
    naam = "TOTAAL" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
    print(f"{naam[:44]:44} {r['Request Count']:>7} {r['Failure Count']:>5} {float(r['Requests/s']):7.1f} "
          f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6}")
totaal = next(r for r in rijen if r["Name"] == "Aggregated")
print(f"\nDoorvoer {float(totaal['Requests/s']):.1f} verzoeken/s; p50 {totaal['50%']} ms, p95 {totaal['95%']} ms, "
      f"p99 {totaal['99%']} ms; fouten: {totaal['Failure Count']} van {totaal['Request Count']}.")
sys.exit(1 if int(totaal["Failure Count"]) else 0)

"""Jinja2 template of the analysis report (kept in Python so it ships inside the package).

Self-contained on purpose: inline CSS, inline SVG charts, no scripts, fonts or links to fetch.
"""

from __future__ import annotations

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord analysis: {{ source }}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2430;
         margin: 0 auto; max-width: 1100px; padding: 24px; }
  h1 { font-size: 1.5em; margin-bottom: 0; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
  .muted { color: #6b7280; } .grid { display: flex; flex-wrap: wrap; gap: 24px; }
  .figures { display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }
  .figure { background: #f4f5f8; border-radius: 8px; padding: 10px 16px; min-width: 120px; }
  .figure b { display: block; font-size: 1.5em; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e5e7eb;
           vertical-align: top; }
  th { background: #f4f5f8; } td.num { text-align: right; white-space: nowrap; }
  mark { background: #ffd9a8; border-radius: 3px; padding: 0 2px; }
  .text { white-space: pre-wrap; word-break: break-word; }
  .tag { display: inline-block; background: #eef0f6; border-radius: 4px; padding: 0 6px;
         margin: 1px; font-size: 0.85em; }
  .escalating { color: #c8402f; font-weight: 600; } .de-escalating { color: #2f7a4c; }
</style>
</head>
<body>
<h1>Conflict analysis</h1>
<p class="muted">{{ source }} &middot; column <code>{{ text_col }}</code> &middot; Accord</p>

<div class="figures">
  <div class="figure"><b>{{ c.rows }}</b>rows</div>
  <div class="figure"><b>{{ c.analysed }}</b>with text</div>
  <div class="figure"><b>{{ "%.1f"|format(mean_heat) }}</b>mean heat</div>
  <div class="figure"><b>{{ hot }}</b>heat &ge; 50</div>
  <div class="figure"><b>{{ c.non_english }}</b>not English (neutral)</div>
</div>

<h2>Heat</h2>
{% if heat_chart %}{{ heat_chart }}{% else %}<p class="muted">No text to analyse.</p>{% endif %}

<h2>Causes and topics</h2>
<div class="grid">
  {% if cause_chart %}<div>{{ cause_chart }}</div>{% endif %}
  {% if topic_chart %}<div>{{ topic_chart }}</div>{% endif %}
</div>
<p class="muted">Not shown: {{ no_cause }} messages without an identified cause,
  {{ no_topic }} with no specific topic.</p>

<h2>Signals</h2>
{% if signals %}
<div class="grid">
  <div>{{ signal_chart }}</div>
  <table style="width:auto">
    <tr><th>signal</th><th>messages</th></tr>
    {% for name, n in signals %}<tr><td>{{ name }}</td><td class="num">{{ n }}</td></tr>{% endfor %}
  </table>
</div>
{% else %}<p class="muted">No signals detected.</p>{% endif %}

<h2>Trajectories</h2>
{% if conversations %}
<div class="grid">
  <div>{{ trajectory_chart }}</div>
  <div>{{ lines_chart }}</div>
</div>
{% if c.conversations_capped %}
<p class="muted">Only the first {{ c.conversations|length }} conversations are summarised.</p>
{% endif %}
<table>
  <tr><th>conversation</th><th>messages</th><th>trajectory</th><th>peak heat</th>
      <th>last heat</th><th>escalation risk</th><th>signals</th></tr>
  {% for r in conversations %}
  <tr><td>{{ r.id }}</td><td class="num">{{ r.messages }}</td>
      <td class="{{ r.trajectory }}">{{ r.trajectory }}</td>
      <td class="num">{{ "%.1f"|format(r.peak_heat) }}</td>
      <td class="num">{{ "%.1f"|format(r.heat) }}</td>
      <td class="num">{{ "%.0f"|format(r.escalation_risk * 100) }}%</td>
      <td>{% for s in r.signals %}<span class="tag">{{ s }}</span>{% endfor %}</td></tr>
  {% endfor %}
</table>
{% else %}
<p class="muted">Pass <code>--conversation-col</code> to see how each conversation's heat moves.</p>
{% endif %}

<h2>Most heated messages</h2>
{% if examples %}
<table>
  <tr><th>row</th><th>heat</th><th>message (evidence highlighted)</th><th>topic / cause</th>
      <th>signals</th></tr>
  {% for e, marked in examples %}
  <tr><td class="num">{{ e.row }}</td><td class="num">{{ "%.1f"|format(e.heat) }}</td>
      <td class="text">{{ marked }}</td>
      <td>{{ e.topic }}<br><span class="muted">{{ e.cause }}</span></td>
      <td>{% for s in e.signals %}<span class="tag">{{ s }}</span>{% endfor %}</td></tr>
  {% endfor %}
</table>
{% else %}<p class="muted">No messages.</p>{% endif %}
</body>
</html>
"""

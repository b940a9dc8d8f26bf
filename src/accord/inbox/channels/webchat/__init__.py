"""The web chat channel: the chat widget on a company's site (`static/widget.js`) and its
anonymous visitors. The web layer's `/widget/v1` routes are its thin HTTP shell."""

"""The crisis screen: phrase rules a clinician can read (`rules`, `phrases/`), a learned model
(`model`, trained by `train` on `corpus/`), and both read over windows of a message (`layers`).

`layers.read(text)` is what the bot calls; `python -m bot screen` runs it on the command line.
"""

"""Running kefu: launching the servers of the embedded and scaled profiles, training the model when its
inputs changed, and Rasa's entry point. May import any package but `bot.cli` and `bot.devtools`; no domain
package imports it."""

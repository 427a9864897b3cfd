"""Pure algorithms of Zhizao: plain data in, results with explanations out. No Django."""

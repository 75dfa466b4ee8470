"""The flows over every platform that the CLI, the workers and a web app share: upload
batches, keeping the platforms in line, adoption, export bundles and the metadata lint."""

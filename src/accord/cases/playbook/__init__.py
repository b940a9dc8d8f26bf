"""Resolution playbooks: the step table (with the shipped ``default.yaml``), the pure state
machine it drives, and the phrase detectors that read agent replies as playbook moves."""

// An Express + Mongoose auth API of the kind assistants write, mistakes next to their safe twins.
const express = require('express');
const mongoose = require('mongoose');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const { z } = require('zod');

const User = mongoose.model('User', new mongoose.Schema({ email: String, passwordHash: String, role: String }));
const router = express.Router();
const Login = z.object({ email: z.string().email(), password: z.string().min(8) });

router.post('/login', async (req, res) => {
  const user = await User.findOne({ email: req.body.email, passwordHash: req.body.hash }); // expect: injection.nosql
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  res.json({ token: jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' }) });
});

router.post('/login/v2', async (req, res) => {
  const { email, password } = Login.parse(req.body);
  const user = await User.findOne({ email });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) return res.status(401).end();
  res.json({ token: jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' }) });
});

router.get('/users', async (req, res) => {
  res.json(await User.find(req.query)); // expect: injection.nosql
});

router.get('/users/by-role', async (req, res) => {
  res.json(await User.find({ role: String(req.query.role) }).limit(50));
});

router.get('/users/:id', async (req, res) => {
  const user = await User.findOne({ _id: req.params.id });
  res.json(user && { id: user.id, email: user.email });
});

router.post('/users', async (req, res) => {
  const user = await User.create(req.body); // expect: auth.mass-assignment
  res.status(201).json({ id: user.id });
});

router.patch('/users/me', async (req, res) => {
  const { email } = req.body;
  await User.updateOne({ _id: req.user.id }, { email: String(email) });
  res.status(204).end();
});

router.delete('/users', async (req, res) => {
  const { email } = req.body;
  await User.deleteOne({ email }); // expect: injection.nosql
  await User.deleteMany({ email: { $eq: req.body.alias } });
  res.status(204).end();
});

module.exports = router;

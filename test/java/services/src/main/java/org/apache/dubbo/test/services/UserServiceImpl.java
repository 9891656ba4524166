package org.apache.dubbo.test.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.dubbo.test.User;
import org.apache.dubbo.test.UserService;
import org.apache.dubbo.test.UserStatus;

public class UserServiceImpl implements UserService {

    private final Map<Long, User> users = new ConcurrentSkipListMap<>();
    private final AtomicLong lastId = new AtomicLong();

    @Override
    public User create(User user) {
        if (user == null) {
            throw new IllegalArgumentException("user must not be null");
        }
        if (user.getId() == 0) {
            user.setId(lastId.incrementAndGet());
        } else {
            lastId.accumulateAndGet(user.getId(), Math::max);
        }
        users.put(user.getId(), user);
        return user;
    }

    @Override
    public User get(long id) {
        return users.get(id);
    }

    @Override
    public boolean update(User user) {
        if (user == null) {
            return false;
        }
        return users.replace(user.getId(), user) != null;
    }

    @Override
    public boolean delete(long id) {
        return users.remove(id) != null;
    }

    @Override
    public List<User> list() {
        return new ArrayList<>(users.values());
    }

    @Override
    public List<User> findByStatus(UserStatus status) {
        List<User> found = new ArrayList<>();
        for (User user : users.values()) {
            if (user.getStatus() == status) {
                found.add(user);
            }
        }
        return found;
    }
}
